package convlab.cli;

import convlab.optim.fp8.Fp8Format;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code convlab fp8 table e4m3}: every code of an OCP fp8 format; {@code convlab fp8 round e4m3 0.3}: one value rounded. */
@Command(name = "fp8", mixinStandardHelpOptions = true, description = "The OCP 8-bit float formats E4M3 and E5M2, exactly.",
        subcommands = {Fp8Command.Table.class, Fp8Command.Round.class})
public final class Fp8Command implements Runnable {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override public void run() { spec.commandLine().usage(System.out); }

    @Command(name = "table", mixinStandardHelpOptions = true, description = "Print all 256 codes: hex, bits S.E.M, kind, value.")
    static final class Table implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FORMAT", description = "e4m3 or e5m2") String format;

        @Override public Integer call() {
            Fp8Format f = Fp8Format.parse(format);
            System.out.printf("%s: bias %d, max %s, min normal 2^%d, min subnormal 2^%d, %s%n", f, f.bias, plain(f.max()),
                    1 - f.bias, 1 - f.bias - f.mantissaBits, f.hasInfinities ? "infinities" : "no infinities");
            System.out.printf("%-5s %-11s %-10s %s%n", "code", "bits", "kind", "value");
            for (int c = 0; c < 256; c++) System.out.printf("0x%02X  %-11s %-10s %s%n", c, f.bits(c), f.kind(c), plain(f.decode(c)));
            return 0;
        }
    }

    @Command(name = "round", mixinStandardHelpOptions = true, description = "Round numbers to an fp8 format (nearest, ties to even).")
    static final class Round implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FORMAT", description = "e4m3 or e5m2") String format;
        @Parameters(index = "1..*", paramLabel = "VALUE", description = "numbers to round, read exactly as written "
                + "(decimals such as 0.3 or 1.0625000000000000001, 4.5e2, inf, nan)") String[] values;
        @Option(names = "--saturate", description = "clamp out-of-range values to ±max instead of NaN (E4M3) / ±inf (E5M2)") boolean saturate;

        @Override public Integer call() {
            Fp8Format f = Fp8Format.parse(format);
            int[] codes = new int[values.length];   // all read before any is printed: a bad value prints nothing
            for (int i = 0; i < values.length; i++) codes[i] = f.encodeDecimal(values[i], saturate);
            for (int i = 0; i < values.length; i++)
                System.out.printf("%s -> 0x%02X %s = %s%n", convlab.io.UserMessages.oneLine(values[i].strip()), codes[i],
                        f.bits(codes[i]), plain(f.decode(codes[i])));
            return 0;
        }
    }

    /** Exact decimal of a double (fp8 values are short dyadic fractions), or NaN/Infinity. */
    static String plain(double v) {
        if (!Double.isFinite(v)) return Double.toString(v);
        if (v == 0) return 1 / v < 0 ? "-0" : "0";
        return new java.math.BigDecimal(v).stripTrailingZeros().toPlainString();
    }
}
