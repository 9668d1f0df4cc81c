package org.parley.contract;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every statement type in the event-coding standards: a CAMEO code with its Goldstein score, and a PLOVER event
 * with mode and context. One table, documented with its basis in docs/coding.md; the schema's cameoCode rules
 * mirror it (SchemaAgreementTest). NO_RESPONSE (the absence of a response is not an event) and
 * STATEMENT_RETRACTED (a newsroom correction, not something a party did) are not coded.
 * <p>
 * CAMEO codes are strings: "036" and "36" are not the same code, "10" (DEMAND) is not "010" (make statement).
 */
public final class EventCoding {

    /** PLOVER's event categories used here, with their quad category's side. */
    public enum Plover {
        AGREE(Kind.COOPERATIVE), CONSULT(Kind.COOPERATIVE), REQUEST(Kind.CONFLICTUAL), REJECT(Kind.CONFLICTUAL);

        public final Kind kind;

        Plover(Kind kind) {
            this.kind = kind;
        }
    }

    /** Which side of the cooperation–conflict line an event lies (PLOVER's quad categories, verbal or material). */
    public enum Kind { COOPERATIVE, CONFLICTUAL }

    /**
     * One CAMEO code as Parley uses it: its Goldstein score and its PLOVER counterpart. mode and context are
     * null where PLOVER has none for it (AGREE takes no mode).
     */
    public record Code(String cameo, double goldstein, String name, Plover event, String mode, String context) {
    }

    /** A type's coding: the code a statement gets unless its newsroom sent another of {@code accepted}. */
    public record Coding(StatementType type, Code standard, Map<String, Code> accepted) {
        public Optional<Code> accepts(String cameo) {
            return Optional.ofNullable(accepted.get(cameo));
        }
    }

    private static final Map<StatementType, Coding> TABLE = new EnumMap<>(StatementType.class);

    static {
        // Intent to meet (036) and the wider 03 family a desk may prefer; PLOVER: future meetings and invitations
        // are AGREE (no modes).
        Code intentToMeet = code("036", 4.0, "Express intent to meet or negotiate", Plover.AGREE, null, "diplomatic");
        List<Code> intent = List.of(intentToMeet,
                code("03", 4.0, "Express intent to cooperate", Plover.AGREE, null, "diplomatic"),
                code("030", 4.0, "Express intent to cooperate, not specified below", Plover.AGREE, null, "diplomatic"),
                code("032", 4.5, "Express intent to engage in diplomatic cooperation", Plover.AGREE, null, "diplomatic"));
        coded(StatementType.INVITATION_ISSUED, intent);
        coded(StatementType.INVITATION_ACCEPTED, intent);
        coded(StatementType.MEETING_SCHEDULED, intent);

        // Conditions: demands (CAMEO 10), PLOVER REQUEST mode change (policy) or yield (sanctions, release).
        coded(StatementType.CONDITIONS_REITERATED, List.of(
                code("1042", -5.0, "Demand policy change", Plover.REQUEST, "change", "diplomatic"),
                code("10", -5.0, "Demand", Plover.REQUEST, null, "diplomatic"),
                code("100", -5.0, "Demand, not specified below", Plover.REQUEST, null, "diplomatic"),
                code("104", -5.0, "Demand political reform", Plover.REQUEST, "change", "diplomatic"),
                code("1041", -5.0, "Demand change in leadership", Plover.REQUEST, "change", "diplomatic"),
                code("1043", -5.0, "Demand rights", Plover.REQUEST, "change", "diplomatic"),
                code("1044", -5.0, "Demand change in institutions, regime", Plover.REQUEST, "change", "diplomatic"),
                code("105", -5.0, "Demand that target yields", Plover.REQUEST, "yield", "diplomatic"),
                code("1056", -5.0, "Demand de-escalation of military engagement", Plover.REQUEST, "yield", "military")));

        // Incentives: intent to yield or to cooperate materially; CAMEO2PLOVER puts 0354 under AGREE.
        coded(StatementType.INCENTIVE_OFFERED, List.of(
                code("0354", 7.0, "Express intent to ease economic sanctions, boycott, or embargo", Plover.AGREE, null,
                        "economic"),
                code("03", 4.0, "Express intent to cooperate", Plover.AGREE, null, "diplomatic"),
                code("030", 4.0, "Express intent to cooperate, not specified below", Plover.AGREE, null, "diplomatic"),
                code("031", 5.2, "Express intent to engage in material cooperation", Plover.AGREE, null, "economic"),
                code("0311", 5.2, "Express intent to cooperate economically", Plover.AGREE, null, "economic"),
                code("033", 5.2, "Express intent to provide material aid", Plover.AGREE, null, "economic"),
                code("0331", 5.2, "Express intent to provide economic aid", Plover.AGREE, null, "economic"),
                code("035", 7.0, "Express intent to yield", Plover.AGREE, null, "diplomatic"),
                code("0351", 7.0, "Express intent to ease administrative sanctions", Plover.AGREE, null, "diplomatic"),
                code("0356", 7.0, "Express intent to de-escalate military engagement", Plover.AGREE, null, "military")));

        // Refusals to meet: CAMEO 125, PLOVER REJECT mode meet; a cancelled invitation or meeting is a refusal too.
        Code rejectMeeting = code("125", -5.0, "Reject proposal to meet, discuss, or negotiate", Plover.REJECT, "meet",
                "diplomatic");
        Code reject = code("12", -4.0, "Reject", Plover.REJECT, null, "diplomatic");
        Code rejectOther = code("120", -4.0, "Reject, not specified below", Plover.REJECT, null, "diplomatic");
        coded(StatementType.INVITATION_DECLINED, List.of(rejectMeeting, reject, rejectOther));
        coded(StatementType.INVITATION_WITHDRAWN, List.of(rejectMeeting, reject, rejectOther,
                code("164", -7.0, "Halt negotiations", Plover.REJECT, "meet", "diplomatic")));

        // A meeting held: CAMEO 04 (consult), PLOVER CONSULT. Who hosted is not recorded, so the general code;
        // a desk that knows sends 042/043/044. 043 (source hosts) has no PLOVER mode here: PLOVER's "visit" puts
        // the visitor first, which would swap actor and recipient.
        coded(StatementType.MEETING_HELD, List.of(
                code("040", 1.0, "Consult, not specified below", Plover.CONSULT, null, "diplomatic"),
                code("04", 1.0, "Consult", Plover.CONSULT, null, "diplomatic"),
                code("041", 1.0, "Discuss by telephone", Plover.CONSULT, "phone", "diplomatic"),
                code("042", 1.9, "Make a visit", Plover.CONSULT, "visit", "diplomatic"),
                code("043", 2.8, "Host a visit", Plover.CONSULT, null, "diplomatic"),
                code("044", 2.5, "Meet at a third location", Plover.CONSULT, "third-party", "diplomatic"),
                code("046", 7.0, "Engage in negotiation", Plover.CONSULT, null, "diplomatic")));
    }

    private EventCoding() {
    }

    private static Code code(String cameo, double goldstein, String name, Plover event, String mode, String context) {
        return new Code(cameo, goldstein, name, event, mode, context);
    }

    private static void coded(StatementType type, List<Code> codes) {
        Map<String, Code> accepted = new LinkedHashMap<>();
        codes.forEach(code -> accepted.put(code.cameo(), code));
        TABLE.put(type, new Coding(type, codes.get(0), java.util.Collections.unmodifiableMap(accepted)));
    }

    /** The type's coding; empty for NO_RESPONSE and STATEMENT_RETRACTED, which are not coded events. */
    public static Optional<Coding> of(StatementType type) {
        return Optional.ofNullable(TABLE.get(type));
    }

    /** Whether statements of this type are coded events. */
    public static boolean isCoded(StatementType type) {
        return TABLE.containsKey(type);
    }

    /** The code of a statement: its newsroom's cameoCode if it sent one, else the type's; empty if not coded. */
    public static Optional<Code> of(Statement statement) {
        Coding coding = TABLE.get(statement.type());
        if (coding == null) {
            return Optional.empty();
        }
        return Optional.of(statement.cameoCode() == null ? coding.standard()
                : coding.accepts(statement.cameoCode()).orElse(coding.standard()));
    }

    /** Why a cameoCode cannot go with a type, or null when it can. */
    static String inconsistency(StatementType type, String cameo) {
        Coding coding = TABLE.get(type);
        if (coding == null) {
            return "is not allowed for type " + type + ", which is not a coded event";
        }
        if (coding.accepted().containsKey(cameo)) {
            return null;
        }
        return "'" + cameo + "' is not a CAMEO code for type " + type + "; use one of "
                + String.join(", ", coding.accepted().keySet()) + " (codes are strings: leading zeros matter)";
    }
}
