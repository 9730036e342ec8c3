package convlab;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VersionTest {
    @Test void matchesTheParentPom() throws IOException {
        String pom = Files.readString(Path.of("..", "pom.xml"));   // tests run in core/
        Matcher m = Pattern.compile("<artifactId>convlab-parent</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        assertTrue(m.find(), "parent pom version not found");
        assertEquals(m.group(1), Version.STRING, "update convlab.Version.STRING with the pom version");
    }
}
