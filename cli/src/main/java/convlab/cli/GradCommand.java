package convlab.cli;

import com.google.gson.JsonObject;
import convlab.explain.Answer;
import convlab.explain.ArrayCheck;
import convlab.explain.ConvCheck;
import convlab.explain.ConvGradExplain;
import convlab.explain.ConvSpec;
import convlab.explain.ExactArray;
import convlab.explain.ExactConvGrad;
import convlab.explain.ExactNormGrad;
import convlab.explain.ExactPoolGrad;
import convlab.explain.GradJson;
import convlab.explain.MatrixParser;
import convlab.explain.Rational;
import convlab.explain.Worksheet;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code convlab grad ...}: exact gradients (backpropagation by hand) of a convolution, a pooling or a normalization layer. */
@Command(name = "grad", mixinStandardHelpOptions = true,
        description = {"Exact gradients with the working shown: backpropagation by hand.",
                "Exit status with a --check option: 0 correct, 1 not correct, 2 bad input."},
        subcommands = {GradCommand.Conv.class, GradCommand.MaxPool.class, GradCommand.AvgPool.class,
                GradCommand.BatchNorm.class, GradCommand.LayerNorm.class})
final class GradCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public void run() { spec.commandLine().usage(System.out); }

    /** Runs the checks that were asked for, appends their verdicts; returns the exit status (0 all correct, 1 otherwise). */
    static int check(Worksheet ws, JsonObject j, String key, String name, String answer, java.util.function.Function<Answer, ConvCheck.Verdict> check) {
        if (answer == null) return 0;
        ConvCheck.Verdict v = check.apply(Answer.parse(answer));
        ws.append(ArrayCheck.worksheet(name, v));
        j.add(key, ExactJson.verdict(v));
        return v.correct() ? 0 : 1;
    }

    @Command(name = "conv", mixinStandardHelpOptions = true,
            description = {"Gradients of a convolution (as `conv` computes it) w.r.t. the input, the kernel and the bias, given dY = dL/dy.",
                    "--explain writes each entry as its sum and names the identity used."})
    static final class Conv implements Callable<Integer> {
        @Option(names = "--input", required = true, description = "The forward input (sequence, matrix, or channels separated by '|').") String input;
        @Option(names = "--kernel", required = true, description = "The kernel (one matrix per input channel).") String kernel;
        @Option(names = "--grad-output", required = true, description = "dY: the gradient of the loss w.r.t. the output (the output's shape).") String gradOutput;
        @Mixin ConvFlags conv;
        @Option(names = "--explain", description = "Show the identities and every entry's sum of products.") boolean explain;
        @Option(names = "--check-grad-input", paramLabel = "ANSWER", description = "Check an answer for dX.") String checkInput;
        @Option(names = "--check-grad-kernel", paramLabel = "ANSWER", description = "Check an answer for dK.") String checkKernel;
        @Option(names = "--check-grad-bias", paramLabel = "ANSWER", description = "Check an answer for db.") String checkBias;
        @Mixin ExactFormat format;

        @Override public Integer call() {
            ExactArray x = MatrixParser.parse(input), w = MatrixParser.parse(kernel), dy = MatrixParser.parse(gradOutput);
            boolean oneD = x.asChannels().dim(1) == 1 && w.asChannels().dim(1) == 1;
            ConvSpec s = conv.spec(oneD, w.asChannels().dim(1), w.asChannels().dim(2));
            ExactConvGrad.Result r = ExactConvGrad.compute(x, w, dy, s);
            Worksheet ws = ConvGradExplain.worksheet(r, explain);
            JsonObject j = GradJson.conv(r, explain);
            int exit = check(ws, j, "check_grad_input", "dX", checkInput, a -> ConvGradExplain.checkInput(r, a));
            exit = Math.max(exit, check(ws, j, "check_grad_kernel", "dK", checkKernel, a -> ConvGradExplain.checkKernel(r, a)));
            exit = Math.max(exit, check(ws, j, "check_grad_bias", "db", checkBias, a -> ConvGradExplain.checkBias(r, a)));
            format.print(System.out, ws, j);
            return exit;
        }
    }

    abstract static class Pool implements Callable<Integer> {
        @Option(names = "--input", required = true, description = "The forward input (sequence, matrix, or channels separated by '|').") String input;
        @Option(names = "--size", required = true, description = "The window size K (K×K for a matrix).") int size;
        @Option(names = "--stride", description = "Stride (default: the window size, as in PyTorch).") Integer stride;
        @Option(names = "--padding", defaultValue = "0", description = "Padding (at most half the window; padded cells never win a max).") int padding;
        @Option(names = "--grad-output", required = true, description = "dY: the gradient w.r.t. the pooled output.") String gradOutput;
        @Option(names = "--explain", description = "Show each window, its winner (max) or share (average), and every entry's sum.") boolean explain;
        @Option(names = "--check-grad-input", paramLabel = "ANSWER", description = "Check an answer for dX.") String checkInput;
        @Mixin ExactFormat format;

        abstract ExactPoolGrad.Kind kind();

        @Override public Integer call() {
            ExactPoolGrad.Result r = ExactPoolGrad.compute(kind(), MatrixParser.parse(input), size, stride, padding, MatrixParser.parse(gradOutput));
            Worksheet ws = ExactPoolGrad.worksheet(r, explain);
            JsonObject j = GradJson.pool(r, explain);
            int exit = check(ws, j, "check_grad_input", "dX", checkInput, a -> ExactPoolGrad.check(r, a));
            format.print(System.out, ws, j);
            return exit;
        }
    }

    @Command(name = "maxpool", mixinStandardHelpOptions = true,
            description = "Max-pooling backward: each window's dY goes to its maximum (ties: the first in row-major order, as PyTorch).")
    static final class MaxPool extends Pool { @Override ExactPoolGrad.Kind kind() { return ExactPoolGrad.Kind.MAX; } }

    @Command(name = "avgpool", mixinStandardHelpOptions = true,
            description = "Average-pooling backward: each window's dY is shared equally by its entries.")
    static final class AvgPool extends Pool { @Override ExactPoolGrad.Kind kind() { return ExactPoolGrad.Kind.AVG; } }

    abstract static class Norm implements Callable<Integer> {
        @Option(names = "--input", required = true, description = "The batch X: rows = examples, columns = features.") String input;
        @Option(names = "--grad-output", required = true, description = "dY, the shape of X.") String gradOutput;
        @Option(names = "--gamma", description = "γ: one value per feature (column), or one for all (default 1).") String gamma;
        @Option(names = "--beta", description = "β: one value per feature, or one for all (default 0).") String beta;
        @Option(names = "--eps", defaultValue = "1e-5", description = "ε added to the variance (default 1e-5, PyTorch's; 0 for exact square roots).") String eps;
        @Option(names = "--mean-only", description = "The course's simplified variant: subtract the mean, no division (y = γ(x − μ) + β).") boolean meanOnly;
        @Option(names = "--exact", description = "Require rational results: fail (exit 2) when a √(σ² + ε) is irrational.") boolean exact;
        @Option(names = "--explain", description = "Show mean, variance, x̂ and the three-term formula with the numbers substituted.") boolean explain;
        @Option(names = "--check-grad-input", paramLabel = "ANSWER", description = "Check an answer for dX (exact results only).") String checkInput;
        @Mixin ExactFormat format;

        abstract ExactNormGrad.Kind kind();

        @Override public Integer call() {
            ExactNormGrad.Result r = ExactNormGrad.compute(kind(), MatrixParser.parse(input), MatrixParser.parse(gradOutput),
                    gamma == null ? null : MatrixParser.parse(gamma), beta == null ? null : MatrixParser.parse(beta), Rational.parse(eps), meanOnly, exact);
            Worksheet ws = ExactNormGrad.worksheet(r, explain);
            JsonObject j = GradJson.norm(r, explain);
            int exit = check(ws, j, "check_grad_input", "dx", checkInput, a -> ExactNormGrad.check(r, a));
            format.print(System.out, ws, j);
            return exit;
        }
    }

    @Command(name = "batchnorm", mixinStandardHelpOptions = true,
            description = "Batch-norm backward in training mode: statistics down each column (over the batch).")
    static final class BatchNorm extends Norm { @Override ExactNormGrad.Kind kind() { return ExactNormGrad.Kind.BATCH; } }

    @Command(name = "layernorm", mixinStandardHelpOptions = true,
            description = "Layer-norm backward: statistics along each row (over the features of one example).")
    static final class LayerNorm extends Norm { @Override ExactNormGrad.Kind kind() { return ExactNormGrad.Kind.LAYER; } }
}
