package convlab.io;

import com.google.gson.JsonObject;
import convlab.data.DataLoader;
import convlab.tensor.DType;
import convlab.tensor.Tensor;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The process CheckpointCrashTest kills: resumes from the latest checkpoint in a folder (checking it is
 * whole), then saves checkpoints of a few megabytes for steps start, start+1, ... up to a last step.
 * Every value in checkpoint s equals s, so a torn or mixed checkpoint is detected on load.
 * Exit codes: 0 reached the last step, 3 found a damaged checkpoint.
 */
public final class CheckpointKillChild {
    static final int VALUES = 1 << 19;   // 2 MiB of float32 per tensor

    static Checkpoint checkpoint(long step) {
        return new Checkpoint(step, (int) (step / 10), Map.of("w", Tensor.full(step, DType.F32, VALUES)), "",
                Map.of("w.momentum", Tensor.full(step, DType.F32, VALUES)), new JsonObject(),
                Map.of("rng", new long[] {step, step, step, step, 0, 0}),
                new DataLoader.State((int) step, (int) step, new long[] {step}), Map.of("loss", (double) step));
    }

    /** Null when c is whole and self-consistent, else what is wrong. */
    static String problem(Checkpoint c) {
        long s = c.step();
        for (Tensor t : new Tensor[] {c.model().get("w"), c.optimizerState().get("w.momentum")}) {
            if (t == null || t.numel() != VALUES) return "step " + s + ": tensor missing or of the wrong size";
            float[] v = t.toFloatArray();
            for (float x : v) if (x != s) return "step " + s + ": tensor holds " + x;
        }
        if (c.rngStates().get("rng")[0] != s || c.loader().position() != s || c.metrics().get("loss") != s)
            return "step " + s + ": state.json does not match the tensors";
        return null;
    }

    public static void main(String[] args) throws Exception {
        CheckpointStore store = new CheckpointStore(Path.of(args[0]), 2);
        long last = Long.parseLong(args[1]);
        Optional<Checkpoint> latest = store.loadLatest();
        if (latest.isPresent() && problem(latest.get()) != null) {
            System.out.println("DAMAGED " + problem(latest.get()));
            System.exit(3);
        }
        long start = latest.map(c -> c.step() + 1).orElse(1L);
        System.out.println("resumed-from " + (start - 1));
        for (long s = start; s <= last; s++) {
            store.save(checkpoint(s));
            System.out.println("saved " + s);
        }
        System.exit(0);
    }
}
