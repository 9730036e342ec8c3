package convlab.data;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EdgeImagesTest {
    static final EdgeImages.Config CLEAN = new EdgeImages.Config(16, 7, 0);

    @Test
    void sameSeedSameImagesOtherSeedOtherImages() {
        var c = EdgeImages.Config.DEFAULT;
        var a = EdgeImages.orientations(c, new double[] {0, 90}, EdgeImages.Region.ANYWHERE, 5, 3);
        var b = EdgeImages.orientations(c, new double[] {0, 90}, EdgeImages.Region.ANYWHERE, 5, 3);
        var d = EdgeImages.orientations(c, new double[] {0, 90}, EdgeImages.Region.ANYWHERE, 5, 4);
        assertArrayEquals(a.images().data(), b.images().data());
        assertTrue(!java.util.Arrays.equals(a.images().data(), d.images().data()));
        assertArrayEquals(new int[] {5, 5}, a.classCounts());
        assertEquals(java.util.List.of("0°", "90°"), a.classNames());
    }

    @Test
    void horizontalSegmentsLieInOneRowAndVerticalOnesInOneColumn() {
        var ds = EdgeImages.orientations(CLEAN, new double[] {0, 90}, EdgeImages.Region.ANYWHERE, 20, 1);
        float[] px = ds.images().data();
        for (int i = 0; i < ds.size(); i++) {
            int rows = 0, cols = 0, lit = 0;
            boolean[] r = new boolean[16], c = new boolean[16];
            for (int y = 0; y < 16; y++) for (int x = 0; x < 16; x++) if (px[i * 256 + y * 16 + x] > 0.5f) { r[y] = true; c[x] = true; lit++; }
            for (int k = 0; k < 16; k++) { if (r[k]) rows++; if (c[k]) cols++; }
            assertEquals(7, lit, "example " + i + " lights the segment's 7 pixels");
            if (ds.label(i) == 0) { assertEquals(1, rows); assertEquals(7, cols); }
            else { assertEquals(7, rows); assertEquals(1, cols); }
        }
    }

    @Test
    void regionsKeepSegmentsInsideTheirHalf() {
        for (var region : new EdgeImages.Region[] {EdgeImages.Region.LEFT_HALF, EdgeImages.Region.RIGHT_HALF}) {
            var ds = EdgeImages.orientations(CLEAN, new double[] {0, 45, 90, 135}, region, 25, 2);
            float[] px = ds.images().data();
            for (int i = 0; i < ds.size(); i++)
                for (int y = 0; y < 16; y++)
                    for (int x = 0; x < 16; x++) {
                        boolean inside = region == EdgeImages.Region.LEFT_HALF ? x < 8 : x >= 8;
                        if (!inside) assertEquals(0f, px[i * 256 + y * 16 + x], "example " + i + " pixel (" + y + "," + x + ") in " + region);
                    }
        }
        var lr = EdgeImages.leftOrRight(CLEAN, new double[] {0, 90}, 10, 5);
        for (int i = 0; i < lr.size(); i++) {
            double left = 0, right = 0;
            for (int y = 0; y < 16; y++) for (int x = 0; x < 16; x++) {
                double v = lr.images().data()[i * 256 + y * 16 + x];
                if (x < 8) left += v; else right += v;
            }
            assertEquals(lr.label(i) == 0, left > right, "example " + i);
        }
    }

    @Test
    void noiseHasTheRequestedStandardDeviation() {
        var noisy = EdgeImages.orientations(new EdgeImages.Config(16, 7, 0.3), new double[] {0, 90}, EdgeImages.Region.ANYWHERE, 50, 9);
        var clean = EdgeImages.orientations(CLEAN, new double[] {0, 90}, EdgeImages.Region.ANYWHERE, 50, 9);
        // The generator draws the noise even when it is 0, so the same seed places the segments identically:
        // the clean images show which pixels are background.
        double s = 0, ss = 0; int n = 0;
        float[] px = noisy.images().data(), c = clean.images().data();
        for (int i = 0; i < px.length; i++) if (c[i] == 0 && i % 7 == 0) { s += px[i]; ss += px[i] * px[i]; n++; }
        double sd = Math.sqrt(ss / n - (s / n) * (s / n));
        assertEquals(0.3, sd, 0.03);
    }

    @Test
    void badSettingsAreRejectedWithReasons() {
        var e = assertThrows(IllegalArgumentException.class, () -> new EdgeImages.Config(16, 12, 0.1));
        assertTrue(e.getMessage().contains("segment length"));
        assertThrows(IllegalArgumentException.class, () -> new EdgeImages.Config(2, 1, 0.1));
        assertThrows(IllegalArgumentException.class, () -> EdgeImages.orientations(CLEAN, new double[] {0}, EdgeImages.Region.ANYWHERE, 3, 1));
    }
}
