package convlab.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import convlab.explain.Rational;
import convlab.explain.Render;
import convlab.explain.Worksheet;
import convlab.explain.cost.ChainCost;
import convlab.explain.cost.ChainCost.Plan;
import convlab.explain.cost.CostAnalysis;
import convlab.explain.cost.MatrixExpr;
import convlab.explain.cost.Poly;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/** `convlab cost EXPR`: the cost of every evaluation order of a matrix product expression. */
@Command(name = "cost", mixinStandardHelpOptions = true,
        description = {"Cost of a matrix expression with symbolic sizes, e.g. cost \"1/2 (3I - W W^T) W\" --dims \"W: d_out x d_in\".",
                "Multiplying n×m by m×p costs c·n·m·p; sums, scalar multiples and I are free.",
                "Every evaluation order (associativity, multiplying out sums) is listed with its cost polynomial.",
                "Exit status with --expect: 0 correct, 1 not correct, 2 bad input."})
final class CostCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "EXPR", description = "The expression: names, I, numbers, products (juxtaposition or *), + and -, ^T or ' for transpose.")
    String expr;

    @Option(names = "--dims", required = true, description = "Sizes of the matrices: \"W: d_out x d_in, V: d_in x 4\".")
    String dims;

    @Option(names = "--assume", description = "Which sizes dominate, e.g. \"d_out >> d_in\".")
    String assume;

    @Option(names = "--sizes", description = "Numbers for the sizes, e.g. d_out=4096,d_in=256.")
    String sizes;

    @Option(names = {"--expect", "--check"}, paramLabel = "COST",
            description = "Check a cost answer such as \"2c d_out^2 d_in\" against the cheapest order (under --assume if given).")
    String expect;

    @Mixin ExactFormat format;

    @Override public Integer call() {
        Map<String, String[]> d = MatrixExpr.parseDims(dims);
        var parsed = MatrixExpr.parse(expr, d.keySet());
        Plan written = ChainCost.asWritten(parsed, d);
        List<Plan> plans = ChainCost.plans(parsed, d);
        List<String> nameOrder = new ArrayList<>();
        d.values().forEach(rc -> { for (String n : rc) if (!nameOrder.contains(n)) nameOrder.add(n); });
        Set<String> names = new TreeSet<>();
        for (Plan p : plans) names.addAll(p.cost().names());

        Worksheet ws = new Worksheet().heading("Cost of " + expr.strip());
        d.forEach((n, rc) -> ws.equation(n + ": " + rc[0] + "×" + rc[1], Poly.latexName(n) + " \\in \\mathbb{R}^{" + Poly.latexName(rc[0]) + " \\times " + Poly.latexName(rc[1]) + "}"));
        ws.equation("result: " + written.dims()[0] + "×" + written.dims()[1], "\\text{result: } " + Poly.latexName(written.dims()[0]) + " \\times " + Poly.latexName(written.dims()[1]));
        ws.text("cost model: multiplying n×m by m×p costs c·n·m·p; sums, scalar multiples and products with I cost nothing");
        ws.text("evaluation orders (" + plans.size() + "):");
        JsonObject j = new JsonObject();
        JsonArray orders = new JsonArray();
        for (int i = 0; i < plans.size(); i++) {
            Plan p = plans.get(i);
            boolean asWritten = ChainCost.render(p).equals(ChainCost.render(written));
            ws.equation("  " + (i + 1) + ". " + ChainCost.render(p) + "    cost " + p.cost().format("c", nameOrder) + (asWritten ? "    (as written)" : ""),
                    "\\text{" + (i + 1) + ".}\\quad " + ChainCost.renderLatex(p) + "\\qquad \\text{cost } " + p.cost().formatLatex("c", nameOrder) + (asWritten ? "\\quad \\text{(as written)}" : ""));
            JsonObject o = new JsonObject();
            o.addProperty("order", ChainCost.render(p));
            o.addProperty("cost", p.cost().format("c", nameOrder));
            o.addProperty("as_written", asWritten);
            orders.add(o);
        }
        j.add("orders", orders);

        List<Plan> overall = CostAnalysis.cheapestForAllSizes(plans);
        if (!overall.isEmpty()) {
            ws.equation("cheapest for all sizes: " + label(plans, overall) + ", cost " + overall.getFirst().cost().format("c", nameOrder),
                    "\\text{cheapest for all sizes: " + labelNumbers(plans, overall) + ", cost } " + overall.getFirst().cost().formatLatex("c", nameOrder));
            j.addProperty("cheapest", overall.getFirst().cost().format("c", nameOrder));
        } else {
            ws.text("no order is cheapest for all sizes: it depends on the sizes (use --assume or --sizes)");
        }
        List<Plan> target = overall.isEmpty() ? List.of(written) : overall;
        if (assume != null) {
            List<String> order = CostAnalysis.parseAssumption(assume, names);
            List<Plan> best = CostAnalysis.cheapestUnder(plans, order);
            ws.equation("cheapest when " + String.join(" ≫ ", order) + ": " + label(plans, best) + ", cost " + best.getFirst().cost().format("c", nameOrder),
                    "\\text{cheapest when } " + String.join(" \\gg ", order.stream().map(Poly::latexName).toList()) + "\\text{: " + labelNumbers(plans, best) + ", cost } "
                            + best.getFirst().cost().formatLatex("c", nameOrder));
            for (String step : CostAnalysis.steps(best.getFirst())) ws.text("  " + step);
            j.addProperty("assumption", String.join(" >> ", order));
            j.addProperty("cheapest_under_assumption", best.getFirst().cost().format("c", nameOrder));
            j.addProperty("cheapest_under_assumption_order", ChainCost.render(best.getFirst()));
            target = best;
        }
        if (sizes != null) {
            Map<String, BigInteger> s = CostAnalysis.parseSizes(sizes);
            ws.text("with " + sizes.strip() + ":");
            JsonArray vals = new JsonArray();
            for (int i = 0; i < plans.size(); i++) {
                Rational v = plans.get(i).cost().evaluate(s);
                ws.equation("  " + (i + 1) + ". " + v + "·c", "\\text{" + (i + 1) + ".}\\quad " + v.toLatex() + "\\, c");
                vals.add(Render.json(v));
            }
            List<Plan> best = CostAnalysis.cheapestFor(plans, s);
            ws.text("cheapest for these sizes: " + label(plans, best) + " (" + best.getFirst().cost().evaluate(s) + "·c)");
            j.add("costs_for_sizes", vals);
        }
        int exit = 0;
        if (expect != null) {
            String what = assume != null ? "the cheapest order when " + assume.strip() : overall.isEmpty() ? "the order as written" : "the cheapest order";
            Map<String, BigInteger> s = sizes == null ? null : CostAnalysis.parseSizes(sizes);
            // A number is the cost for --sizes: of the order --assume picks, else of the cheapest order for those sizes.
            Plan numberTarget = s == null ? null : assume != null ? target.getFirst() : CostAnalysis.cheapestFor(plans, s).getFirst();
            List<String> order = assume != null ? CostAnalysis.parseAssumption(assume, names) : null;
            ws.heading("Check");
            exit = ExactJson.verdict(ws, j, "check", CostAnalysis.question(plans, target.getFirst(), what, s, numberTarget, order, nameOrder).check(expect));
        }
        format.print(System.out, ws, j);
        return exit;
    }

    /** "order 2", "orders 2, 3" (the numbers of the list above, for a LaTeX line that shows the cost itself). */
    private static String labelNumbers(List<Plan> all, List<Plan> chosen) {
        List<String> parts = new ArrayList<>();
        for (Plan p : chosen) parts.add(Integer.toString(all.indexOf(p) + 1));
        return (parts.size() == 1 ? "order " : "orders ") + String.join(", ", parts);
    }

    private static String label(List<Plan> all, List<Plan> chosen) {
        List<String> parts = new ArrayList<>();
        for (Plan p : chosen) parts.add((all.indexOf(p) + 1) + ". " + ChainCost.render(p));
        return String.join("; ", parts);
    }
}
