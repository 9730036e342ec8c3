package convlab.cli;

import convlab.train.EpochStats;
import convlab.train.TrainingListener;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Training progress for a person: on a terminal a progress bar per epoch (loss, accuracy, images/s);
 * always one line per finished epoch.
 */
final class Progress implements TrainingListener {
    private final boolean bar;
    private final int epochs;
    private final PrintStream lines;
    private ProgressBar current;

    Progress(boolean bar, int epochs, PrintStream lines) {
        this.bar = bar;
        this.epochs = epochs;
        this.lines = lines;
    }

    @Override public void epochStarted(int epoch, int batches) {
        if (!bar) return;
        current = new ProgressBarBuilder()
                .setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch + 1, epochs))
                .setInitialMax(batches)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250)
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .build();
    }

    @Override public void stepFinished(int epoch, int step, double runningLoss, double runningAccuracy, double imagesPerSecond) {
        if (current == null) return;
        current.stepTo(step);
        current.setExtraMessage(String.format(Locale.ROOT, " loss %.4f acc %.4f %,.0f img/s", runningLoss, runningAccuracy, imagesPerSecond));
    }

    @Override public void stepSkipped(long step, String why) {
        if (current != null) current.pause();
        lines.println("skipped step " + step + " " + why);
        if (current != null) current.resume();
    }

    @Override public void epochFinished(EpochStats s) {
        if (current != null) { current.close(); current = null; }
        lines.printf(Locale.ROOT, "epoch %d/%d  train loss %.4f acc %.4f  test loss %.4f acc %.4f  %,.0f images/s%n",
                s.epoch(), epochs, s.trainLoss(), s.trainAccuracy(), s.testLoss(), s.testAccuracy(), s.trainImagesPerSecond());
    }
}
