package ai.calling.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The code and the documents cite only what a reader of this repository can open: the rules they
 * rely on are written here (docs/, the decision records, the API document), not in files that
 * live elsewhere. Landed migrations are history and are not edited, so they are not scanned.
 */
@Tag("unit")
class DocumentationReferencesTest {

    private static final Pattern OUTSIDE_FILES = Pattern.compile(
            "CONTRACT\\.md|Database\\.md|integrations(-reference)?\\.md|shared/spec|developers-guide");
    private static final Pattern MARKDOWN_LINK = Pattern.compile("\\]\\(([^)#\\s]+)(#[^)]*)?\\)");

    @Test
    void nothingCitesAFileOutsideTheRepository() throws IOException {
        List<String> citations = new ArrayList<>();
        for (Path file : files()) {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                if (OUTSIDE_FILES.matcher(lines.get(i)).find()) {
                    citations.add(file + ":" + (i + 1) + ": " + lines.get(i).trim());
                }
            }
        }
        assertThat(citations).isEmpty();
    }

    @Test
    void everyRelativeLinkOfTheDocumentsResolves() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path file : files()) {
            if (!file.toString().endsWith(".md")) {
                continue;
            }
            Matcher link = MARKDOWN_LINK.matcher(Files.readString(file));
            while (link.find()) {
                String target = link.group(1);
                if (!target.contains("://") && !target.startsWith("mailto:")
                        && !Files.exists(file.toAbsolutePath().getParent().resolve(target).normalize())) {
                    broken.add(file + " -> " + target);
                }
            }
        }
        assertThat(broken).isEmpty();
    }

    private static List<Path> files() throws IOException {
        List<Path> files = new ArrayList<>(List.of(Path.of("README.md")));
        for (String root : new String[] { "src", "docs" }) {
            try (Stream<Path> walk = Files.walk(Path.of(root))) {
                walk.filter(path -> path.toString().matches(".*\\.(java|md|yml|yaml|properties|sql)$")
                        && !path.endsWith("DocumentationReferencesTest.java")).forEach(files::add);
            }
        }
        return files;
    }
}
