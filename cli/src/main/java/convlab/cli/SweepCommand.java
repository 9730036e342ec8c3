package convlab.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code convlab sweep}: lives in the sweep module (Apache Spark), which only {@code ./convlab sweep} puts on the class
 * path, so the CLI jar stays small; this command hands the whole line to {@code convlab.sweep.SweepCli}.
 */
@Command(name = "sweep", description = "Hyperparameter and architecture sweeps on Apache Spark, local or on a cluster "
        + "(convlab sweep --help; docs/SWEEPS.md).")
public final class SweepCommand implements Callable<Integer> {
    @Unmatched List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Class<?> sweep;
        try {
            sweep = Class.forName("convlab.sweep.SweepCli");
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("the sweep module (Apache Spark) is not on the class path; run it as ./convlab sweep ...");
        }
        try {
            return (Integer) sweep.getMethod("run", String[].class).invoke(null, (Object) args.toArray(String[]::new));
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause() instanceof Exception x ? x : new IllegalStateException(e.getCause());
        }
    }
}
