package convlab.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** `convlab grad ...` and `conv --origin-input/--plot` through the command line: JSON keys, exit codes, one-line errors, the PNG. */
class GradCommandTest {
    private static ExactCommandsTest.Run run(String... args) { return ExactCommandsTest.run(args); }

    private static JsonObject json(String... args) {
        ExactCommandsTest.Run r = run(args);
        assertEquals(0, r.exit(), r.err());
        return JsonParser.parseString(r.out()).getAsJsonObject();
    }

    @Test void convJsonHasExactAndFloatGradients() {
        JsonObject j = json("grad", "conv", "--input", "1 2 3; 4 5 6; 7 8 9", "--kernel", "1 0; 0 -1", "--grad-output", "1 2; 3 4", "--json");
        assertEquals("[[37,47],[67,77]]", j.get("grad_kernel").toString());
        assertEquals("[[1.0,2.0,0.0],[3.0,3.0,-2.0],[0.0,-3.0,-4.0]]", j.get("grad_input_float").toString());
        assertEquals(10, j.get("grad_bias").getAsInt());
        assertEquals("[3,3]", j.get("grad_input_shape").toString());
        assertTrue(j.getAsJsonObject("identity").get("grad_input").getAsString().contains("full convolution"));
    }

    @Test void poolAndNormJson() {
        JsonObject p = json("grad", "maxpool", "--input", "1 3; 4 4", "--size", "2", "--grad-output", "5", "--json");
        assertEquals("[[0,0],[5,0]]", p.get("grad_input").toString());
        assertEquals("[1,0]", p.getAsJsonArray("windows").get(0).getAsJsonObject().get("winner").toString());
        assertEquals("[[1,1]]", p.getAsJsonArray("windows").get(0).getAsJsonObject().get("tied_with").toString());
        JsonObject n = json("grad", "batchnorm", "--input", "1; 2; 3", "--grad-output", "1; 0; 0", "--eps", "0", "--json");
        assertFalse(n.get("exact").getAsBoolean());
        assertEquals("(1/6)/√(2/3)", n.getAsJsonArray("grad_input_symbolic").get(0).getAsJsonArray().get(0).getAsString());
        assertEquals(1 / 6.0 / Math.sqrt(2 / 3.0), n.getAsJsonArray("grad_input_float").get(0).getAsJsonArray().get(0).getAsDouble(), 1e-15);
        assertEquals("[\"2/3\"]", n.get("variance").toString());
        JsonObject zero = json("grad", "batchnorm", "--input", "5", "--grad-output", "2", "--mean-only", "--gamma", "3", "--json");
        assertEquals("[[0]]", zero.get("grad_input").toString());
        assertEquals("[2]", zero.get("grad_beta").toString());
    }

    @Test void checksExitZeroOrOne() {
        String[] base = {"grad", "conv", "--input", "1 2 3; 4 5 6; 7 8 9", "--kernel", "1 2; 3 4", "--grad-output", "1 0; 0 1"};
        assertEquals(0, run(CliTestSupport.concat(base, "--check-grad-input", "1 2 0; 3 5 2; 0 3 4", "--check-grad-kernel", "6 8; 12 14", "--check-grad-bias", "2")).exit());
        ExactCommandsTest.Run wrong = run(CliTestSupport.concat(base, "--check-grad-input", "4 3 0; 2 5 3; 0 2 1", "--json"));
        assertEquals(1, wrong.exit());
        JsonObject c = JsonParser.parseString(wrong.out()).getAsJsonObject().getAsJsonObject("check_grad_input");
        assertFalse(c.get("correct").getAsBoolean());
        assertTrue(c.getAsJsonArray("diagnoses").get(0).getAsString().startsWith("kernel not flipped"), c.toString());
        assertEquals(1, run("grad", "avgpool", "--input", "1 2 3 4", "--size", "2", "--stride", "1", "--grad-output", "1 2 3", "--check-grad-input", "1 3 5 3").exit());
    }

    @Test void badInputIsOneLineExit2() {
        String[][] bad = {
                {"grad", "conv", "--input", "1 2 3; 4 5 6; 7 8 9", "--kernel", "1 2; 3 4", "--grad-output", "1 0 0; 0 1 0"},
                {"grad", "conv", "--input", "1 2 3 4 5", "--kernel", "1 2 3", "--grad-output", "1 2", "--stride", "2", "--padding", "1"},
                {"grad", "maxpool", "--input", "1 2; 3 4", "--size", "2", "--grad-output", "1 2"},
                {"grad", "maxpool", "--input", "1 2; 3 4", "--size", "2", "--padding", "2", "--grad-output", "1"},
                {"grad", "batchnorm", "--input", "1 2; 3 4", "--grad-output", "1 2"},
                {"grad", "batchnorm", "--input", "1 2; 3 4", "--grad-output", "1 2; 3 4", "--gamma", "1 2 3"},
                {"grad", "batchnorm", "--input", "1 2; 1 4", "--grad-output", "1 2; 3 4", "--eps", "0"},
                {"grad", "batchnorm", "--input", "1; 2; 3", "--grad-output", "1; 0; 0", "--eps", "0", "--exact"},
                {"grad", "layernorm", "--input", "1 2 3", "--grad-output", "1 0 0", "--eps", "-1"},
                {"grad", "batchnorm", "--input", "1; 2; 3", "--grad-output", "1; 0; 0", "--check-grad-input", "1 2 3"},
                {"conv", "--input", "1 2; 3 4", "--kernel", "1", "--origin-input", "2"},
        };
        for (String[] args : bad) {
            ExactCommandsTest.Run r = run(args);
            assertEquals(2, r.exit(), String.join(" ", args) + ": " + r.out());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
        assertTrue(run(bad[0]).err().startsWith("convlab grad conv: the output gradient is 2×3 but the forward output is 2×2"), run(bad[0]).err());
        assertTrue(run(bad[7]).err().contains("not the square of a rational"), run(bad[7]).err());
    }

    @Test void originIndicesAndStemPlot() throws Exception {
        Path png = Files.createTempFile("stem", ".png");
        ExactCommandsTest.Run r = run("conv", "--input", "0 0 0 0 0 0 1 1 1 1 1 1 1", "--kernel", "1 1/2 1/4 1/8", "--flip", "--padding", "full",
                "--origin-input", "-6", "--plot", png.toString(), "--plot-range", "-6,12");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("output from n = -6"), r.out());
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(900, img.getWidth());
        int colored = 0;  // the stems are drawn in colour, the axes in grey
        for (int x = 0; x < img.getWidth(); x += 2)
            for (int y = 0; y < img.getHeight(); y += 2) {
                int rgb = img.getRGB(x, y), red = rgb >> 16 & 255, green = rgb >> 8 & 255, blue = rgb & 255;
                if (Math.max(red, Math.max(green, blue)) - Math.min(red, Math.min(green, blue)) > 80) colored++;
            }
        assertTrue(colored > 500, "coloured pixels: " + colored);
        Files.delete(png);
        JsonObject j = json("conv", "--input", "1 1 1", "--kernel", "1 1/2", "--flip", "--padding", "full", "--origin-input", "5", "--json");
        assertEquals("[5,6,7,8]", j.get("output_index").toString());
    }
}
