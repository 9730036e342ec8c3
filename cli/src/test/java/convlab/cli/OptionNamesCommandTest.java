package convlab.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Core names its caller's options through convlab.OptionNames (a Java caller reads "lr", "outputPadding"); the
 * command line runs every command with its flags bound, so these refusals read word for word as before.
 */
class OptionNamesCommandTest {
    static void refuses(String expected, String... args) {
        assertEquals(expected, ReliabilityCommandsTest.error(args));
    }

    @Test void coreMessagesNameTheCommandLinesFlags() {
        refuses("convlab optimize: --features has 2 example(s) (rows separated by ';') but --targets has 1 value(s)",
                "optimize", "--method", "sgd", "--features", "1 2; 3 4", "--targets", "1");
        refuses("convlab optimize: --lr must be positive, got 0",
                "optimize", "--method", "sgd", "--features", "1 2; 3 4", "--targets", "1 2", "--lr", "0");
        refuses("convlab optimize: no limit: with lr = 5 sgd diverges (|θ| passes 1e100 after 166 steps); try a smaller --lr",
                "optimize", "--method", "sgd", "--features", "1 0; 0 1", "--targets", "1 2", "--lr", "5", "--limit");
        refuses("convlab optimize: unknown --method 'lbfgs', expected one of: sgd, momentum, nesterov, adagrad, rmsprop, adam, signsgd",
                "optimize", "--method", "lbfgs", "--features", "1 2; 3 4", "--targets", "1 2");
        refuses("convlab cost: the size n=0 in --sizes must be at least 1", "cost", "W V", "--dims", "W: n x m, V: m x k", "--sizes", "n=0");
        refuses("convlab cost: expected 'NAME: ROWS x COLS' in --dims, got 'W'", "cost", "W V", "--dims", "W");
        refuses("convlab step-size: unknown --optimizer 'lion', expected one of: sgd, signsgd, muon, adam",
                "step-size", "--optimizer", "lion", "--d-out", "4", "--d-in", "4");
        refuses("convlab conv: --output-padding applies only to transposed convolution (--transpose)",
                "conv", "--input", "1 2 3", "--kernel", "1 1", "--output-padding", "1");
        refuses("convlab conv: --flip and --transpose together are not defined here: flip the kernel yourself and use --transpose",
                "conv", "--input", "1 2 3", "--kernel", "1 1", "--transpose", "--flip");
    }
}
