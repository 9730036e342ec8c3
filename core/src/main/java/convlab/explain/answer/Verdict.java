package convlab.explain.answer;

import java.util.List;

/**
 * The verdict on one checked answer. {@code CORRECT} and {@code OTHER_CONVENTION} (right under another
 * common convention, which {@code convention} names) exit 0; {@code NOT_CORRECT} exits 1, with a
 * {@code diagnosis} when a known mistake gives exactly the given answer. Unreadable answers never get a
 * verdict: they are an {@link IllegalArgumentException} (exit 2).
 *
 * @param what    what was checked ("params", "receptive field")
 * @param given   the given answer as read (its exact value, or the formula)
 * @param right   the right answer
 * @param lines   the explanation, one line each (the first is the verdict)
 */
public record Verdict(Outcome outcome, String what, String given, String right, String convention, String diagnosis, List<String> lines) {
    public enum Outcome { CORRECT, OTHER_CONVENTION, NOT_CORRECT }

    public Verdict {
        lines = List.copyOf(lines);
    }

    /** Right, under the question's convention or another common one. */
    public boolean correct() { return outcome != Outcome.NOT_CORRECT; }

    /** 0 correct (also under another named convention), 1 not correct. */
    public int exitCode() { return correct() ? 0 : 1; }

    /** The first line: the verdict itself. */
    public String message() { return lines.getFirst(); }

    /** Several verdicts as one: correct only when all are; exit 1 when any is not. */
    public static int exitCode(List<Verdict> verdicts) {
        return verdicts.stream().allMatch(Verdict::correct) ? 0 : 1;
    }
}
