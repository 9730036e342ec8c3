package convlab.examples;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * README.md's "Use as a library" shows the 15-line example; it must be exactly the region of
 * TrainCustomCnn between "// README:begin" and "// README:end" (less the class body's indentation),
 * which ExamplesTest runs. Change both together.
 */
class ReadmeExampleTest {
    static final Path README = Path.of("..", "README.md");
    static final Path EXAMPLE = Path.of("src", "main", "java", "convlab", "examples", "TrainCustomCnn.java");

    @Test void readmeShowsTheExampleThatIsRun() throws Exception {
        assertEquals(markedRegion(Files.readAllLines(EXAMPLE)), readmeBlock(Files.readAllLines(README)),
                "README.md's \"Use as a library\" example differs from TrainCustomCnn's README region");
    }

    /** "At most 15 lines" (issue 20): the method body, without the signature, braces and comment lines. */
    @Test void theExampleIsAtMostFifteenLinesOfCode() throws Exception {
        String[] lines = markedRegion(Files.readAllLines(EXAMPLE)).split("\n");
        long code = java.util.Arrays.stream(lines, 1, lines.length - 1)
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("//")).count();
        assertTrue(code <= 15, code + " lines of code");
    }

    static String markedRegion(List<String> source) {
        int begin = source.indexOf("    // README:begin"), end = source.indexOf("    // README:end");
        assertTrue(begin >= 0 && end > begin, "README markers missing in " + EXAMPLE);
        StringBuilder sb = new StringBuilder();
        for (String l : source.subList(begin + 1, end)) sb.append(l.startsWith("    ") ? l.substring(4) : l).append('\n');
        return sb.toString();
    }

    static String readmeBlock(List<String> readme) {
        int section = readme.indexOf("## Use as a library");
        assertTrue(section >= 0, "README.md has no \"## Use as a library\" section");
        int open = readme.subList(section, readme.size()).indexOf("```java") + section;
        assertTrue(open > section, "no ```java block in README's \"Use as a library\"");
        StringBuilder sb = new StringBuilder();
        for (String l : readme.subList(open + 1, readme.size())) {
            if (l.equals("```")) return sb.toString();
            sb.append(l).append('\n');
        }
        throw new AssertionError("unclosed ```java block in README.md");
    }
}
