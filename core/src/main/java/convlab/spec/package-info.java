/**
 * The course's architecture language ({@code "CONV3-8 BN RELU POOL2 FLATTEN FC-10"}, docs/SPEC.md):
 * {@code SpecParser} reads it into a {@code Spec} (errors point at the token, {@code SpecError}),
 * {@code ModelBuilder.build} turns a spec and an input shape into a network, {@code Analyzer} infers shapes and
 * counts parameters and multiply-adds ({@code SummaryReport}, {@code ReceptiveFieldReport}), and {@code NamedModels}
 * holds the course's named networks.
 */
package convlab.spec;
