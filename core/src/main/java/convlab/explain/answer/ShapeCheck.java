package convlab.explain.answer;

import convlab.explain.Answer;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Checks a shape answer ("28 \times 28 \times 10", "28x28x10", "[28, 28, 10]", "(10, 28, 28)") against the
 * right shape and the layouts of other conventions (named, accepted).
 */
public final class ShapeCheck {
    private ShapeCheck() {}

    /**
     * @param layout      how the right shape is laid out ("channels × height × width")
     * @param conventions other layouts by name with the same shape in that layout
     */
    public static Verdict check(String what, String answer, int[] right, String layout, Map<String, int[]> conventions) {
        Answer a = Answer.parse(answer);
        int[] g = a.asShape();
        if (g == null) throw new IllegalArgumentException("the answer for " + what + " must be sizes such as 28x28x10 or [28, 28, 10], got '" + Lexer.shown(a.source()) + "'");
        String given = text(g);
        if (Arrays.equals(g, right))
            return new Verdict(Verdict.Outcome.CORRECT, what, given, text(right), null, null, List.of(what + ": correct (" + layout + ")"));
        for (var c : conventions.entrySet())
            if (Arrays.equals(g, c.getValue()))
                return new Verdict(Verdict.Outcome.OTHER_CONVENTION, what, given, text(right), c.getKey(), null,
                        List.of(what + ": correct (" + c.getKey() + ")"));
        return new Verdict(Verdict.Outcome.NOT_CORRECT, what, given, text(right), null, null,
                List.of(what + ": not correct: the output is " + text(right) + " (" + layout + "), not " + given));
    }

    /** A convolution's output C×H×W, also accepted as H×W×C (the course's tables) and W×H×C. */
    public static Verdict imageShape(String answer, int channels, int h, int w) {
        Map<String, int[]> conventions = new LinkedHashMap<>();
        conventions.put("height × width × channels", new int[] {h, w, channels});
        conventions.put("width × height × channels", new int[] {w, h, channels});
        return check("shape", answer, new int[] {channels, h, w}, "channels × height × width", conventions);
    }

    static String text(int[] dims) { return Arrays.stream(dims).mapToObj(String::valueOf).collect(Collectors.joining("×")); }
}
