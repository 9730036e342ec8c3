package convlab.train;

/**
 * What one epoch measured. Throughput counts only the training steps (forward, backward, update),
 * not evaluation.
 */
public record EpochStats(int epoch, double trainLoss, double trainAccuracy, double testLoss, double testAccuracy,
                         double trainSeconds, double trainImagesPerSecond, long[][] testConfusion) {}
