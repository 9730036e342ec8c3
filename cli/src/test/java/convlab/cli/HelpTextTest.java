package convlab.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every command's --help renders cleanly. Picocli reads description lines as format strings: a bare "%" (as in "within
 * 10%") made it print "[picocli WARN] Could not format ..." on standard error and show the line unformatted.
 */
class HelpTextTest {
    /**
     * The command paths of the whole tree below convlab ("bench gemm", "fp8 round", ...), help itself left out, and sweep,
     * whose command lives in the sweep module (this module's stands in for it and says so).
     */
    private static List<List<String>> commandPaths(CommandLine cl, List<String> prefix, List<List<String>> into) {
        cl.getSubcommands().forEach((name, sub) -> {
            if (name.equals("help") || name.equals("sweep") || !sub.getCommandName().equals(name)) return;   // aliases once, under their own name
            List<String> path = new ArrayList<>(prefix);
            path.add(name);
            into.add(path);
            commandPaths(sub, path, into);
        });
        return into;
    }

    @Test
    void everyCommandsHelpRendersWithoutAPicocliWarning() {
        List<List<String>> paths = commandPaths(new CommandLine(new Main()), List.of(), new ArrayList<>());
        assertTrue(paths.size() > 20, "the tree was walked: " + paths.size() + " commands");
        List<String> bad = new ArrayList<>();
        for (List<String> path : paths) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            CliTestSupport.Result r = CliTestSupport.run(args.toArray(String[]::new));
            if (r.exitCode() != 0 || r.err().contains("picocli") || r.out().contains("%n"))
                bad.add(String.join(" ", path) + " (exit " + r.exitCode() + "): " + r.err().lines().findFirst().orElse(""));
            else assertFalse(r.out().isBlank(), String.join(" ", path));
        }
        assertEquals(List.of(), bad);
    }

    /**
     * Picocli wraps each description line to the help's width and starts every line on a new one, so a paragraph broken
     * by hand into lines longer than the width printed half-empty lines (`bench gemm`: "... warm-up (2.5" and then
     * "-10 s, then each shape" alone; six commands so). A line over the width whose sentence goes on in the next line
     * (which starts with neither a capital nor an indent, as an example's second command does) is one of those.
     */
    @Test
    void noParagraphIsBrokenByHandIntoLinesPicocliWrapsAgain() {
        CommandLine root = new CommandLine(new Main());
        List<String> bad = new ArrayList<>();
        for (List<String> path : commandPaths(root, List.of(), new ArrayList<>())) {
            CommandLine cl = root;
            for (String name : path) cl = cl.getSubcommands().get(name);
            int width = cl.getCommandSpec().usageMessage().width();
            String[] lines = cl.getCommandSpec().usageMessage().description();
            for (int i = 0; i + 1 < lines.length; i++) {
                String text = lines[i].replace("%%", "%").replace("%n", "").stripTrailing(), next = lines[i + 1];
                boolean goesOn = !next.isEmpty() && !Character.isUpperCase(next.charAt(0)) && !Character.isWhitespace(next.charAt(0));
                if (text.length() > width && !text.matches("(?s).*[.:;)!?]$") && goesOn) bad.add(String.join(" ", path) + ": " + text);
            }
        }
        assertEquals(List.of(), bad);
    }
}
