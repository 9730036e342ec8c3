package convlab.examples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs an example's main as a user would and returns what it printed. */
final class Run {
    private Run() {}

    interface Main { void run(String[] args) throws Exception; }

    static synchronized String main(Main main, String... args) throws Exception {
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            System.setOut(out);
            main.run(args);
        } finally {
            System.setOut(saved);
        }
        String printed = buf.toString(StandardCharsets.UTF_8);
        saved.print(printed);
        return printed;
    }
}
