package convlab.cli;

import convlab.io.StrictJson;
import com.google.gson.JsonObject;
import convlab.explain.Worksheet;
import picocli.CommandLine.Option;

import java.io.PrintStream;

/** Output format options shared by the exact calculators: plain text (default), --markdown, --json. */
final class ExactFormat {
    @Option(names = "--json", description = "Print JSON (fractions as \"p/q\" strings, so nothing is rounded).")
    boolean json;

    @Option(names = "--markdown", description = "Print Markdown with LaTeX (bmatrix) instead of plain text.")
    boolean markdown;

    void print(PrintStream out, Worksheet ws, JsonObject j) {
        if (WorksheetSink.offer(ws)) return;   // inside a sheet: the sheet renders the worksheet itself
        if (json) out.println(StrictJson.write(j));
        else out.print(markdown ? ws.toMarkdown() : ws.toText());
        out.flush();
    }
}
