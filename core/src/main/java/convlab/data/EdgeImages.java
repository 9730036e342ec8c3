package convlab.data;

import convlab.tensor.Rng;
import convlab.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Synthetic images of thin line segments ("edges") at a few orientations, with Gaussian pixel noise: the
 * data of the course's inductive-bias study. Seeded: the same arguments give the same images.
 *
 * <p>Each image is {@code size × size}, background 0, one anti-aliased segment of the given length at
 * intensity 1, centred at a uniformly random point of a {@link Region} (the whole segment lies inside the
 * region), plus N(0, noise²) on every pixel. Classes are balanced and interleaved (example i has class
 * i mod classes).
 */
public final class EdgeImages {
    private EdgeImages() {}

    /** Where segments are placed (for domain-shift studies: train on one region, validate on another). */
    public enum Region {
        ANYWHERE, LEFT_HALF, RIGHT_HALF, TOP_HALF, BOTTOM_HALF;

        /** Bounds [x0, x1) × [y0, y1) of the region in an image of side size. */
        int[] bounds(int size) {
            int h = size / 2;
            return switch (this) {
                case ANYWHERE -> new int[] {0, size, 0, size};
                case LEFT_HALF -> new int[] {0, h, 0, size};
                case RIGHT_HALF -> new int[] {h, size, 0, size};
                case TOP_HALF -> new int[] {0, size, 0, h};
                case BOTTOM_HALF -> new int[] {0, size, h, size};
            };
        }
    }

    /**
     * size: image side; length: segment length in pixels; noise: standard deviation of the pixel noise.
     */
    public record Config(int size, double length, double noise) {
        public Config {
            if (size < 4) throw new IllegalArgumentException("edge images need a side of at least 4 pixels, got " + size);
            if (!(length >= 1) || length > size / 2.0)
                throw new IllegalArgumentException("segment length must be in [1, size/2] = [1, " + size / 2.0 + "] so it fits a half image, got " + length);
            if (!(noise >= 0)) throw new IllegalArgumentException("noise must be >= 0, got " + noise);
        }

        public static final Config DEFAULT = new Config(24, 9, 0.15);
    }

    /**
     * Classify orientation: class k is a segment at anglesDegrees[k] (0 = horizontal, 90 = vertical,
     * counter-clockwise), placed anywhere in region.
     */
    public static Dataset orientations(Config c, double[] anglesDegrees, Region region, int perClass, long seed) {
        if (anglesDegrees.length < 2) throw new IllegalArgumentException("need at least two orientations, got " + anglesDegrees.length);
        List<String> names = new ArrayList<>();
        for (double a : anglesDegrees) names.add(String.format(Locale.ROOT, "%.0f°", a));
        Rng rng = new Rng(seed);
        int k = anglesDegrees.length, n = perClass * k;
        float[] pixels = new float[n * c.size() * c.size()];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % k;
            draw(c, anglesDegrees[labels[i]], region, rng, pixels, i);
        }
        return new Dataset(Tensor.of(pixels, n, 1, c.size(), c.size()), labels, names,
                "edge orientations " + names + " in " + region.name().toLowerCase(Locale.ROOT) + ", seed " + seed);
    }

    /**
     * Classify position: class 0 = segment in the left half, class 1 = in the right half; the orientation is
     * drawn from anglesDegrees at random. A translation-invariant network cannot tell these apart.
     */
    public static Dataset leftOrRight(Config c, double[] anglesDegrees, int perClass, long seed) {
        Rng rng = new Rng(seed);
        int n = 2 * perClass;
        float[] pixels = new float[n * c.size() * c.size()];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            double angle = anglesDegrees[rng.nextInt(anglesDegrees.length)];
            draw(c, angle, labels[i] == 0 ? Region.LEFT_HALF : Region.RIGHT_HALF, rng, pixels, i);
        }
        return new Dataset(Tensor.of(pixels, n, 1, c.size(), c.size()), labels, List.of("left", "right"),
                "edge position (left/right half), seed " + seed);
    }

    /** Draws example i: a segment at the angle, centred in region, plus noise. */
    private static void draw(Config c, double angleDegrees, Region region, Rng rng, float[] pixels, int i) {
        int s = c.size();
        double th = Math.toRadians(angleDegrees), dx = Math.cos(th) * (c.length() - 1) / 2, dy = -Math.sin(th) * (c.length() - 1) / 2;
        int[] b = region.bounds(s);
        // centre so that both end points (± half a pixel for the line width) stay inside the region
        double loX = b[0] + Math.abs(dx), hiX = b[1] - 1 - Math.abs(dx), loY = b[2] + Math.abs(dy), hiY = b[3] - 1 - Math.abs(dy);
        double cx = loX + rng.nextDouble() * (hiX - loX), cy = loY + rng.nextDouble() * (hiY - loY);
        cx = onGrid(cx, loX, hiX); cy = onGrid(cy, loY, hiY);   // axis-aligned lines then are exactly one pixel wide
        int base = i * s * s;
        for (int y = 0; y < s; y++)
            for (int x = 0; x < s; x++) {
                double d = distanceToSegment(x, y, cx - dx, cy - dy, cx + dx, cy + dy);
                double v = Math.max(0, Math.min(1, 1.5 - d * 1.5));       // 1 on the line, 0 beyond 1 pixel
                pixels[base + y * s + x] = (float) (v + c.noise() * rng.nextGaussian());
            }
    }

    /** v rounded to an integer inside [lo, hi] when there is one, else v itself. */
    private static double onGrid(double v, double lo, double hi) {
        double lo1 = Math.ceil(lo), hi1 = Math.floor(hi);
        return lo1 > hi1 ? v : Math.max(lo1, Math.min(hi1, Math.rint(v)));
    }

    static double distanceToSegment(double px, double py, double ax, double ay, double bx, double by) {
        double vx = bx - ax, vy = by - ay, len2 = vx * vx + vy * vy;
        double t = len2 == 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * vx + (py - ay) * vy) / len2));
        double qx = ax + t * vx - px, qy = ay + t * vy - py;
        return Math.sqrt(qx * qx + qy * qy);
    }
}
