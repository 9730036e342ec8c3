package convlab.cli;

import convlab.kernels.NewtonSchulz.Poly;
import convlab.experiment.NewtonSchulzTiming;
import convlab.kernels.Parallel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code convlab newton-schulz}: times one Newton–Schulz step, direct form vs Gram form (course problem 1). */
@Command(name = "newton-schulz", mixinStandardHelpOptions = true,
        description = "Benchmark one Newton-Schulz step: direct (XXᵀ) vs Gram (XᵀX) form, against plain GEMM speed.")
public final class NewtonSchulzCommand implements Callable<Integer> {
    @Option(names = "--shapes", split = ",", defaultValue = "4096x256,4096x512,1024x1024",
            description = "d_out x d_in shapes, comma-separated (default: ${DEFAULT-VALUE})")
    List<String> shapes;
    @Option(names = "--poly", defaultValue = "cubic", description = "cubic or quintic (default: ${DEFAULT-VALUE})") String poly;
    @Option(names = "--reps", defaultValue = "5", description = "timed rounds after the warm-up; median and spread reported (default: ${DEFAULT-VALUE})") int reps;
    @Option(names = "--threads", description = "kernel threads (default: the library's)") Integer threads;

    @Override public Integer call() {
        if (reps < 1) throw new IllegalArgumentException("--reps must be >= 1, got " + reps);
        if (threads != null) Parallel.setThreads(threads);
        Poly p = switch (poly.toLowerCase(java.util.Locale.ROOT)) {
            case "cubic" -> Poly.CUBIC;
            case "quintic" -> Poly.QUINTIC;
            default -> throw new IllegalArgumentException("--poly must be cubic or quintic, got '" + poly + "'");
        };
        List<int[]> dims = new ArrayList<>();
        for (String s : shapes) {
            String[] parts = s.trim().toLowerCase(java.util.Locale.ROOT).split("x");
            try {
                if (parts.length != 2) throw new NumberFormatException();
                int r = Integer.parseInt(parts[0]), c = Integer.parseInt(parts[1]);
                if (r <= 0 || c <= 0) throw new NumberFormatException();
                dims.add(new int[] {r, c});
                // X, its product and the step's temporaries: about 4 matrices of r×c and 2 of min(r,c)² floats
                double m = Math.min(r, c);
                convlab.train.MemoryCheck.requireFits(4.0 * (4.0 * r * c + 2 * m * m), "--shapes " + r + "x" + c);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--shapes: '" + s + "' is not ROWSxCOLS with positive sizes (e.g. 4096x256)");
            }
        }
        NewtonSchulzTiming.report(dims.toArray(new int[0][]), p, reps).forEach(System.out::println);
        return 0;
    }
}
