package convlab;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Core is a library: a message it writes names the caller's options through {@link convlab.io.OptionNames}
 * ({@code lr}, {@code outputPadding} for a Java caller, {@code --lr} when the command line runs it), never a
 * command-line flag written into a string. This scans every string literal of core's main sources for "--x"
 * and fails on one outside the allow-list below, each entry with its reason.
 */
class NoCommandLineFlagsInCoreTest {
    static final Path MAIN = Path.of("src", "main", "java");
    static final Pattern FLAG = Pattern.compile("--[a-z]");

    /** File (relative to src/main/java) and the literal as written, with why "--" is right there. */
    static final Map<String, String> ALLOWED = Map.of(
            "convlab/sheet/SheetSource.java|): write one command, such as conv --input \\\"1 2 3\\\" --kernel \\\"1 1\\\"",
            "a sheet's blocks are convlab command lines: the example shows the sheet language, not an option of the caller",
            "convlab/optim/StepSizeReport.java|derivation of each α: `convlab step-size --d-out D_OUT --d-in D_IN",
            "the worksheet points its reader at the convlab command that derives each α (a reference to the tool, as docs do)",
            "convlab/optim/StepSizeReport.java| --unit-scaled",
            "the same command line, with its switch");

    @Test void noStringLiteralInCoreNamesACommandLineFlag() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                String rel = MAIN.relativize(f).toString().replace('\\', '/');
                for (Literal lit : literals(Files.readString(f))) {
                    if (!FLAG.matcher(lit.text).find()) continue;
                    if (!ALLOWED.containsKey(rel + "|" + lit.text)) found.add(rel + ":" + lit.line + ": \"" + lit.text + "\"");
                }
            }
        }
        assertEquals(List.of(), found, "core's messages name options through convlab.io.OptionNames (or the allow-list gives a reason)");
    }

    /** The scanner sees literals in ordinary code, skips comments and char literals, and reads text blocks. */
    @Test void theScannerFindsLiteralsAndSkipsComments() {
        String src = """
                // "--in a comment"
                /* "--also" */ String a = "x --lr y"; char c = '"'; String b = "\\" --esc";
                String t = \"""
                    text --block
                    \""";
                """;
        List<String> texts = literals(src).stream().map(l -> l.text).toList();
        assertEquals(List.of("x --lr y", "\\\" --esc", "\n    text --block\n    "), texts);
        assertTrue(FLAG.matcher(texts.get(0)).find());
    }

    record Literal(int line, String text) {}

    /** The string literals (and text blocks) of Java source, raw (escapes not decoded), with their line numbers. */
    static List<Literal> literals(String s) {
        List<Literal> out = new ArrayList<>();
        int line = 1;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n') line++;
            else if (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '/') {
                while (i < s.length() && s.charAt(i) != '\n') i++;
                line++;
            } else if (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '*') {
                int end = s.indexOf("*/", i + 2);
                if (end < 0) throw new IllegalStateException("unclosed comment");
                line += count(s, i, end);
                i = end + 1;
            } else if (c == '\'') {
                i++;
                if (s.charAt(i) == '\\') i++;
                i = s.indexOf('\'', i + 1);
            } else if (s.startsWith("\"\"\"", i)) {
                int end = i + 3;
                while (!s.startsWith("\"\"\"", end) || s.charAt(end - 1) == '\\') end++;
                out.add(new Literal(line, s.substring(s.indexOf('\n', i) , end)));
                line += count(s, i, end);
                i = end + 2;
            } else if (c == '"') {
                int j = i + 1;
                while (s.charAt(j) != '"') j += s.charAt(j) == '\\' ? 2 : 1;
                out.add(new Literal(line, s.substring(i + 1, j)));
                i = j;
            }
        }
        return out;
    }

    private static int count(String s, int from, int to) {
        int n = 0;
        for (int k = from; k < to; k++) if (s.charAt(k) == '\n') n++;
        return n;
    }
}
