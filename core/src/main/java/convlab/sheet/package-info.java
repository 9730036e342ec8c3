/**
 * Worked-solution documents ({@code convlab sheet FILE.md}): {@code SheetSource} splits a Markdown file into
 * prose and {@code ```convlab} command blocks, {@code ShellWords} splits a command line as a shell would (without
 * running anything), and {@code ProseMath} finds the $…$ math in the prose.
 */
package convlab.sheet;
