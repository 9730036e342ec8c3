/**
 * The training loop: {@code Trainer} (forward, loss, backward and step over a {@code BatchSource}, evaluation,
 * one {@code EpochStats} per epoch), {@code LoaderBatches} (a data loader as a batch source),
 * {@code TrainingListener} (per-step and per-epoch callbacks), {@code TrainingCheckpoints} (save every epoch or every
 * N steps, and resume exactly), {@code Metrics}, and {@code JitWarmup}/{@code MemoryCheck} (start-up and memory
 * checks before a long run).
 */
package convlab.train;
