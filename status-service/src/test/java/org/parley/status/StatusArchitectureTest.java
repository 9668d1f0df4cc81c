package org.parley.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * docs/architecture.md draws status-service's packages and what each may use; this holds that table against
 * the imports of the main sources, so the picture cannot drift from the code.
 */
class StatusArchitectureTest {
    private static final Path DOC = Path.of("..", "docs", "architecture.md");
    private static final Path MAIN = Path.of("src", "main", "java", "org", "parley", "status");
    private static final Pattern ROW = Pattern.compile("^\\| `org\\.parley\\.status\\.(\\w+)` \\|.*\\| ([^|]*) \\|$");
    private static final Pattern NAME = Pattern.compile("`([\\w.]+)`");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?org\\.parley\\.(\\w+)\\.(\\w+)", Pattern.MULTILINE);

    @Test
    void everyImportBetweenPackagesIsOneTheArchitectureAllows() throws IOException {
        Map<String, Set<String>> allowed = allowed();
        Map<String, Set<String>> found = imports();

        assertThat(allowed.keySet()).as("status-service packages in docs/architecture.md")
                .containsExactlyInAnyOrderElementsOf(found.keySet());
        List<String> crossing = new ArrayList<>();
        found.forEach((from, targets) -> targets.stream().filter(to -> !allowed.get(from).contains(to))
                .forEach(to -> crossing.add(from + " -> " + to)));
        assertThat(crossing).as("imports that the table in docs/architecture.md does not allow").isEmpty();
    }

    /** Per package, the names of its "may use" column. */
    private static Map<String, Set<String>> allowed() throws IOException {
        Map<String, Set<String>> allowed = new TreeMap<>();
        for (String line : Files.readAllLines(DOC)) {
            Matcher row = ROW.matcher(line.strip());
            if (row.matches()) {
                Set<String> uses = new TreeSet<>();
                Matcher name = NAME.matcher(row.group(2));
                while (name.find()) {
                    uses.add(name.group(1));
                }
                allowed.put(row.group(1), uses);
            }
        }
        return allowed;
    }

    /**
     * Per package of status-service (a sub-package counts as its parent), the other packages its files import:
     * status-service's by name, the contract as contract, service-support as support. ParleyConfig, at the root,
     * may be used by all.
     */
    private static Map<String, Set<String>> imports() throws IOException {
        Map<String, Set<String>> found = new TreeMap<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Path relative = MAIN.relativize(file);
                if (relative.getNameCount() < 2) {
                    continue; // the root: ParleyConfig
                }
                String from = relative.getName(0).toString();
                Set<String> targets = found.computeIfAbsent(from, k -> new TreeSet<>());
                Matcher imported = IMPORT.matcher(Files.readString(file));
                while (imported.find()) {
                    String to = switch (imported.group(1)) {
                        case "status" -> Character.isUpperCase(imported.group(2).charAt(0)) ? null : imported.group(2);
                        case "contract" -> "contract";
                        case "support" -> "support";
                        default -> imported.group(1);
                    };
                    if (to != null && !to.equals(from)) {
                        targets.add(to);
                    }
                }
            }
        }
        return found;
    }
}
