package convlab.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Parameter counts have one home (ParamCount) and one factor order, the course's K·K·C·F + F: `params` and
 * `summary` print the same expression for the same layer.
 */
class ParamOrderTest {
    private static JsonObject json(String... args) {
        CliTestSupport.Result r = CliTestSupport.run(args);
        assertEquals(0, r.exitCode(), r.err());
        return JsonParser.parseString(r.out()).getAsJsonObject();
    }

    /** The expression `params --json` prints, without its value. */
    private static String params(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "params";
        System.arraycopy(args, 0, all, 1, args.length);
        all[all.length - 1] = "--json";
        String e = json(all).get("params_expression").getAsString();
        return e.substring(0, e.lastIndexOf(" = "));
    }

    /** The expression `summary --json` prints for the spec's first layer. */
    private static String summary(String spec, String input) {
        return json("summary", spec, "--input", input, "--json").getAsJsonArray("layers").get(0).getAsJsonObject()
                .get("paramsExpression").getAsString();
    }

    @Test void paramsAndSummaryPrintTheSameFactorOrder() {
        // hw4 problem 4(e): the second CONV3-10 layer is 3 × 3 × 10 × 10 + 10
        assertEquals("3×3×10×10 + 10", summary("CONV3-10", "14x14x10"));
        assertEquals(summary("CONV3-10", "14x14x10"), params("--in-channels", "10", "--out-channels", "10", "--kernel-size", "3"));
        assertEquals(summary("CONV3-10", "28x28x1"), params("--in-channels", "1", "--out-channels", "10", "--kernel-size", "3"));
        assertEquals(summary("CONV5-8(nobias)", "9x9x3"), params("--in-channels", "3", "--out-channels", "8", "--kernel-size", "5", "--no-bias"));
        assertEquals(summary("CONV3-8(g2)", "9x9x4"), params("--kind", "grouped", "--groups", "2", "--in-channels", "4", "--out-channels", "8", "--kernel-size", "3"));
        assertEquals(summary("DWCONV3-8", "9x9x4"), params("--kind", "depthwise", "--in-channels", "4", "--out-channels", "8", "--kernel-size", "3"));
        assertEquals("490×3 + 3", summary("FC-3", "490"));
        assertEquals(summary("FC-3", "490"), params("--kind", "linear", "--in-channels", "490", "--out-channels", "3"));
    }
}
