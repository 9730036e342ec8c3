/**
 * Checking a given answer by meaning rather than by text: {@code Parser} and {@code Formula} read numbers,
 * arithmetic, LaTeX and formulas in named quantities; a {@code Question} compares an answer with the right one (and
 * with answers right under another convention or known mistakes) and returns a {@code Verdict};
 * {@code ShapeCheck}, {@code SummaryCheck} and {@code ReceptiveFieldCheck} check answers about a network.
 */
package convlab.explain.answer;
