package convlab.cli;

import convlab.explain.LeastSquaresOptimize;
import convlab.explain.LeastSquaresOptimize.Loss;
import convlab.explain.LeastSquaresOptimize.Method;
import convlab.explain.LeastSquaresOptimize.Problem;
import convlab.explain.LeastSquaresOptimize.Settings;
import convlab.explain.OptimizeReport;
import convlab.explain.Rational;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** `convlab optimize`: exact optimizer trajectories and limits on a small least-squares problem (docs/OPTIMIZERS.md). */
@Command(name = "optimize", mixinStandardHelpOptions = true,
        description = {"Run an optimizer exactly on least squares: loss = mean (or --loss sum) of (x_i·θ − y_i)², full batch.",
                "Shows exact iterates (--steps N), the limit with its reason (--limit, the default), and checks an answer.",
                "Example: convlab optimize --features \"1 0.1 0.01\" --targets 1 --method sgd --limit",
                "Exit status with --check: 0 correct, 1 not correct, 2 bad input."})
final class OptimizeCommand implements Callable<Integer> {
    @Option(names = "--features", required = true, description = "One row per example, rows separated by ';' (e.g. \"1 0.1 0.01\" or \"1 2; 3 4\").")
    String features;
    @Option(names = "--targets", required = true, description = "One target per example.")
    String targets;
    @Option(names = "--method", required = true, description = "sgd, momentum, nesterov, adagrad, rmsprop, adam or signsgd.")
    String method;
    @Option(names = "--lr", defaultValue = "0.1", description = "Learning rate, exact (default: ${DEFAULT-VALUE}).")
    String lr;
    @Option(names = "--steps", paramLabel = "N", description = "Print θ0 … θN exactly (at most " + LeastSquaresOptimize.MAX_STEPS + ").")
    Integer steps;
    @Option(names = "--from", paramLabel = "THETA0", description = "Start point (default: zeros).")
    String from;
    @Option(names = "--preconditioner", paramLabel = "DIAG", description = "Diagonal M of θ ← θ − lr·M·∇L (sgd, momentum, nesterov).")
    String preconditioner;
    @Option(names = "--limit", description = "Where the iterates converge, exactly where a closed form exists, with the reason (default when --steps is not given).")
    boolean limit;
    @Option(names = {"--check", "--expect"}, paramLabel = "ANSWER", description = "Check an answer vector (the limit, or θN with --steps only).")
    String check;
    @Option(names = "--loss", defaultValue = "mean", description = "mean or sum of squared errors (default: ${DEFAULT-VALUE}).")
    String loss;
    @Option(names = "--momentum", defaultValue = "0.9", description = "μ of momentum/nesterov (default: ${DEFAULT-VALUE}).")
    String momentum;
    @Option(names = "--betas", defaultValue = "0.9 0.999", description = "Adam's β1 β2 (default: ${DEFAULT-VALUE}).")
    String betas;
    @Option(names = "--alpha", defaultValue = "0.99", description = "RMSprop's smoothing α (default: ${DEFAULT-VALUE}).")
    String alpha;
    @Option(names = "--eps", defaultValue = "0", description = "ε added to the square root (default 0, so limits are exact; PyTorch uses 1e-8, Adagrad 1e-10).")
    String eps;
    @Mixin ExactFormat format;

    @Override public Integer call() {
        Problem p = Problem.parse(features, targets);
        Rational[] beta = LeastSquaresOptimize.vector(betas, 2, "--betas");
        Loss l = switch (loss.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "mean" -> Loss.MEAN;
            case "sum" -> Loss.SUM;
            default -> throw new IllegalArgumentException("--loss must be mean or sum, got '" + loss + "'");
        };
        Settings s = new Settings(Method.parse(method), Rational.parse(lr), Rational.parse(momentum), beta[0], beta[1], Rational.parse(alpha),
                Rational.parse(eps), l, preconditioner == null ? null : LeastSquaresOptimize.vector(preconditioner, p.d(), "--preconditioner"));
        Rational[] theta0 = from == null ? zeros(p.d()) : LeastSquaresOptimize.vector(from, p.d(), "--from");
        OptimizeReport r = OptimizeReport.of(p, s, theta0, steps, limit, check);
        format.print(System.out, r.worksheet(), r.json());
        return r.exit();
    }

    private static Rational[] zeros(int d) {
        Rational[] z = new Rational[d];
        java.util.Arrays.fill(z, Rational.ZERO);
        return z;
    }
}
