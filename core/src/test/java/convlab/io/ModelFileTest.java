package convlab.io;

import convlab.Version;
import convlab.nn.Linear;
import convlab.nn.Module;
import convlab.nn.ReLU;
import convlab.nn.Sequential;
import convlab.tensor.DType;
import convlab.tensor.Rng;
import convlab.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class ModelFileTest {
    @TempDir Path tmp;

    /** A layer with a buffer, standing in for batch norm's running statistics. */
    static final class Scaled extends Module {
        final Tensor scale;
        Scaled(int n) { scale = registerBuffer("scale", Tensor.full(1, DType.F32, n)); }
        @Override public Tensor forward(Tensor x) { return x.mul(scale); }
    }

    static Sequential model(long seed, int hidden) {
        Rng rng = new Rng(seed);
        return new Sequential(new Linear(4, hidden, rng), new ReLU(), new Linear(hidden, 3, rng), new Scaled(3));
    }

    @Test void saveThenLoadReproducesTheModelExactly() throws IOException {
        Sequential a = model(1, 8);
        ((Scaled) a.layers().get(3)).scale.set(0.5, 1);
        Path f = tmp.resolve("model.safetensors");
        ModelFile.save(f, a, "FC-8 RELU FC-3");
        Sequential b = model(2, 8);
        ModelFile.Header h = ModelFile.load(f, b);
        assertEquals("FC-8 RELU FC-3", h.spec());
        assertEquals(Version.STRING, h.version());
        assertEquals("pt", h.metadata().get("format"));
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias", "3.scale"),
                List.copyOf(Safetensors.read(f).tensors().keySet()));
        Tensor x = Tensor.randn(new Rng(3), 5, 4);
        assertArrayEquals(a.forward(x).toFloatArray(), b.forward(x).toFloatArray(), 0f);
        assertEquals("FC-8 RELU FC-3", ModelFile.readHeader(f).spec());
    }

    @Test void float64FileLoadsIntoFloat32Model() throws IOException {
        Sequential a = model(1, 8);
        Map<String, Tensor> f64 = new LinkedHashMap<>();
        ModelFile.stateOf(a).forEach((k, v) -> f64.put(k, v.to(DType.F64)));
        Path f = tmp.resolve("f64.safetensors");
        Safetensors.write(f, f64, ModelFile.metadata(""));
        Sequential b = model(2, 8);
        ModelFile.load(f, b);
        assertArrayEquals(a.namedParameters().get("2.weight").toFloatArray(), b.namedParameters().get("2.weight").toFloatArray(), 0f);
    }

    @Test void mismatchedModelIsRejectedWithEveryProblemNamedAndLeftUnchanged() throws IOException {
        Path f = tmp.resolve("m.safetensors");
        ModelFile.save(f, model(1, 8), "");
        Sequential other = model(2, 16);
        float[] before = other.namedParameters().get("0.weight").toFloatArray();
        var e = assertThrows(IllegalArgumentException.class, () -> ModelFile.load(f, other));
        assertTrue(e.getMessage().contains("0.weight is 8x4 in the file but 16x4 in the model"), e.getMessage());
        assertArrayEquals(before, other.namedParameters().get("0.weight").toFloatArray(), 0f, "all or nothing");

        Sequential shorter = new Sequential(new Linear(4, 8, new Rng(1)));
        var u = assertThrows(IllegalArgumentException.class, () -> ModelFile.load(f, shorter));
        assertTrue(u.getMessage().contains("not in the model: 2.weight, 2.bias, 3.scale"), u.getMessage());

        Sequential longer = new Sequential(new Linear(4, 8, new Rng(1)), new ReLU(), new Linear(8, 3, new Rng(1)), new Scaled(3), new Linear(3, 2, new Rng(1)));
        var m = assertThrows(IllegalArgumentException.class, () -> ModelFile.load(f, longer));
        assertTrue(m.getMessage().contains("missing from the file: 4.weight, 4.bias"), m.getMessage());
        assertFalse(m.getMessage().contains("\n"));
    }
}
