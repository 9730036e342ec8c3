package convlab.examples;

import convlab.explain.Answer;
import convlab.explain.ConvCheck;
import convlab.explain.ConvExplain;
import convlab.explain.ConvSpec;
import convlab.explain.ExactArray;
import convlab.explain.ExactConv;
import convlab.explain.MatrixParser;
import convlab.explain.Rational;
import convlab.explain.Render;

/**
 * The exact calculators behind {@code ./convlab conv}, called from Java: every value is an exact fraction,
 * so a worked solution can be printed and a student's answer checked entry by entry.
 */
public final class ExactCalculators {
    private ExactCalculators() {}

    public static void main(String[] args) {
        // Inputs are written as people write them: rows split by ';' (also [[..]], LaTeX, fractions like 1/2).
        ExactArray input = MatrixParser.parse("1 2 3; 4 5 6; 7 8 9");
        ExactArray kernel = MatrixParser.parse("1 0; 0 -1");

        // A true convolution (kernel flipped), stride 1, no padding, plus a bias of 1/2.
        ConvSpec spec = ConvSpec.plain(false).withFlip(true).withBias(Rational.parse("1/2"));
        ExactConv.Result result = ExactConv.compute(input, kernel, spec);
        System.out.println("output:\n" + Render.text(result.output()));

        // The worked solution: output-size formula, flipped kernel, every sum written out.
        System.out.println(ConvExplain.worksheet(result).toText());

        // Check an answer (the bias forgotten in one entry): the verdict names the wrong entries and their working.
        ConvCheck.Verdict verdict = ConvCheck.check(input, kernel, spec, Answer.parse("9/2 9/2; 9/2 4"));
        System.out.println(verdict.worksheet().toText());
        System.out.println("correct: " + verdict.correct());
    }
}
