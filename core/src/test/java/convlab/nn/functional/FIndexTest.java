package convlab.nn.functional;

import convlab.geometry.PoolGeometry;
import convlab.tensor.Rng;
import convlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** F is the index of the functional ops: each entry gives exactly what the family's own function gives. */
class FIndexTest {
    @Test void entriesPointAtTheirFamilies() {
        Rng r = new Rng(4);
        Tensor x = Tensor.randn(r, 2, 3, 7, 6), w = Tensor.randn(r, 4, 3, 3, 3), b = Tensor.randn(r, 4);
        ConvOptions o = ConvOptions.DEFAULT.stride(2).padding(1);
        assertArrayEquals(Conv.conv2d(x, w, b, o).data(), F.conv2d(x, w, b, o).data());
        assertArrayEquals(Pooling.maxPool2d(x, new PoolGeometry(3, 3, 2, 2, 1, 1, 1, 1, true)).data(), F.maxPool2d(x, 3, 2, 1, true).data());
        assertArrayEquals(Pooling.avgPool2d(x, new PoolGeometry(2, 2, 1, 1, 0, 0, 1, 1, false), false).data(),
                F.avgPool2d(x, 2, 1, 0, false, false).data());
        assertArrayEquals(new int[] {2, 3}, F.globalAvgPool2d(x).shape());
        assertArrayEquals(x.relu().data(), F.relu(x).data());
        assertArrayEquals(x.data(), F.dropout(x, 0.5, false, new Rng(1)).data(), "dropout is the identity when not training");
    }
}
