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
}
