package org.parley.status.webhooks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.parley.contract.FieldError;
import org.parley.contract.StatementType;
import org.parley.status.domain.Status;

/**
 * A registration: where to send, and which changes (parties: either side; statuses: after the change; eventKinds:
 * the type of the statement that caused it).
 */
public record EndpointRequest(String url, List<String> parties, List<String> statuses, List<String> eventKinds) {
    static final int MAX_PARTIES = 250;
    private static final Set<String> COUNTRIES = Set.copyOf(Locale.getISOCountries(Locale.IsoCountryCode.PART1_ALPHA3));
    private static final Set<String> STATUSES = Stream.of(Status.values()).map(Enum::name).collect(Collectors.toSet());
    private static final Set<String> KINDS = Stream.of(StatementType.values()).map(Enum::name).collect(Collectors.toSet());

    List<String> partyList() {
        return parties == null ? List.of() : parties.stream().map(p -> p == null ? "" : p.toUpperCase(Locale.ROOT))
                .distinct().sorted().toList();
    }

    List<String> statusList() {
        return statuses == null ? List.of() : statuses.stream().map(s -> s == null ? "" : s.toUpperCase(Locale.ROOT))
                .distinct().sorted().toList();
    }

    List<String> kindList() {
        return eventKinds == null ? List.of() : eventKinds.stream().map(k -> k == null ? "" : k.toUpperCase(Locale.ROOT))
                .distinct().sorted().toList();
    }

    /** What is wrong with the filters (the URL is checked by EndpointUrls). */
    List<FieldError> filterErrors() {
        List<FieldError> errors = new ArrayList<>();
        if (parties != null && parties.size() > MAX_PARTIES) {
            errors.add(new FieldError("parties", "at most " + MAX_PARTIES + " parties"));
        } else {
            partyList().stream().filter(p -> !COUNTRIES.contains(p)).findFirst().ifPresent(p ->
                    errors.add(new FieldError("parties", "not an ISO 3166-1 alpha-3 country code: " + shorten(p))));
        }
        if (statuses != null && statuses.size() > STATUSES.size()) {
            errors.add(new FieldError("statuses", "at most " + STATUSES.size() + " statuses"));
        } else {
            statusList().stream().filter(s -> !STATUSES.contains(s)).findFirst().ifPresent(s ->
                    errors.add(new FieldError("statuses", "not a status (" + String.join(", ",
                            Stream.of(Status.values()).map(Enum::name).toList()) + "): " + shorten(s))));
        }
        if (eventKinds != null && eventKinds.size() > KINDS.size()) {
            errors.add(new FieldError("eventKinds", "at most " + KINDS.size() + " statement types"));
        } else {
            kindList().stream().filter(k -> !KINDS.contains(k)).findFirst().ifPresent(k ->
                    errors.add(new FieldError("eventKinds", "not a statement type (" + String.join(", ",
                            Stream.of(StatementType.values()).map(Enum::name).toList()) + "): " + shorten(k))));
        }
        return errors;
    }

    private static String shorten(String s) {
        return s.length() <= 20 ? s : s.substring(0, 20) + "…";
    }
}
