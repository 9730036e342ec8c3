package convlab.io;

import convlab.nn.Linear;
import convlab.nn.ReLU;
import convlab.nn.Sequential;
import convlab.tensor.Rng;
import convlab.tensor.Tensor;
import convlab.testing.Checks;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Safetensors interchange with PyTorch both ways, on fixtures made and checked by
 * tools/pytorch/safetensors_interchange.py (see its header for the round trip).
 */
class PyTorchInterchangeTest {
    static final Path FIXTURES = Path.of("src", "test", "resources", "fixtures", "io");
    static final String SPEC = "FC-8 RELU FC-3";

    static Sequential network(Rng rng) {
        return new Sequential(new Linear(4, 8, rng), new ReLU(), new Linear(8, 3, rng));
    }

    @Test void torchModelLoadsIntoConvlabAndGivesTorchsOutputs() throws IOException {
        Sequential model = network(new Rng(99));   // weights replaced by the file
        ModelFile.load(FIXTURES.resolve("torch_model.safetensors"), model);
        Safetensors.Contents io = Safetensors.read(FIXTURES.resolve("torch_io.safetensors"));
        Tensor out = model.forward(io.tensor("input"));
        Checks.assertClose(io.tensor("output").toDoubleArray(), out.toDoubleArray(), 1e-6, 1e-6, "convlab vs PyTorch outputs");
        assertArrayEquals(io.tensor("output").argmax(1), out.argmax(1));
    }

    /** The committed convlab-written fixtures, which the Python script feeds to PyTorch, are exactly what convlab writes. */
    @Test void committedConvlabFixturesAreWhatConvlabWrites() throws IOException {
        Sequential model = network(new Rng(2026));
        Tensor input = Tensor.randn(new Rng(7), 5, 4);
        Map<String, Tensor> io = new LinkedHashMap<>();
        io.put("input", input);
        io.put("output", model.forward(input));
        byte[] modelBytes = ModelFile.encode(model, SPEC);
        byte[] ioBytes = Safetensors.encode(io, Map.of());
        if ("1".equals(System.getenv("CONVLAB_REGEN_FIXTURES"))) {
            Files.write(FIXTURES.resolve("convlab_model.safetensors"), modelBytes);
            Files.write(FIXTURES.resolve("convlab_io.safetensors"), ioBytes);
        }
        String hint = "; if the change is intended, regenerate with CONVLAB_REGEN_FIXTURES=1 and rerun tools/pytorch/safetensors_interchange.py";
        assertArrayEquals(Files.readAllBytes(FIXTURES.resolve("convlab_model.safetensors")), modelBytes, "model file bytes" + hint);
        assertArrayEquals(Files.readAllBytes(FIXTURES.resolve("convlab_io.safetensors")), ioBytes, "input/output bytes" + hint);
        assertEquals(SPEC, ModelFile.readHeader(FIXTURES.resolve("convlab_model.safetensors")).spec());
    }
}
