package convlab.report;

import convlab.io.StrictJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportTest {
    @Test
    void writesFiguresTablesJsonAndEscapedHtml(@TempDir Path dir) throws Exception {
        Report r = new Report(dir, "A <title>", "summary & more");
        r.setting("seed", 3);
        r.results().put("acc", 0.5).put("curve", new double[] {1, 2}).put("undefined", Double.NaN)
                .put("diverged", new double[] {1, Double.POSITIVE_INFINITY});
        var c = Charts.line("t", "x", "y");
        Charts.series(c, "s", new double[] {1, 2, 3}, new double[] {3, 1, 2});
        r.figure("fig", c, "caption with \"quotes\"");
        r.table("tab", List.of("name", "value"), List.of(List.of("a,b", 1.5), List.of("plain", 2)), "a table");
        r.section("Heading", "x < y");
        r.write();
        BufferedImage png = ImageIO.read(dir.resolve("fig.png").toFile());
        assertEquals(Charts.WIDTH, png.getWidth());
        assertEquals("name,value\n\"a,b\",1.5\nplain,2\n", Files.readString(dir.resolve("tab.csv")));
        // strictly valid JSON: no bare NaN or Infinity (they are written as null)
        var json = StrictJson.parse(Files.readString(dir.resolve("results.json"))).getAsJsonObject();
        assertTrue(json.getAsJsonObject("results").get("undefined").isJsonNull());
        assertTrue(json.getAsJsonObject("results").getAsJsonArray("diverged").get(1).isJsonNull());
        assertEquals(0.5, json.getAsJsonObject("results").get("acc").getAsDouble());
        assertEquals(3, json.getAsJsonObject("settings").get("seed").getAsInt());
        String html = Files.readString(dir.resolve("index.html"));
        assertTrue(html.contains("A &lt;title&gt;") && html.contains("x &lt; y") && html.contains("&quot;quotes&quot;"), html);
        assertTrue(html.contains("<img src=\"fig.png\"") && html.contains("href=\"tab.csv\""), html);
    }

    @Test
    void badTablesAndSeriesAreRejected(@TempDir Path dir) {
        Report r = new Report(dir, "t", "s");
        assertThrows(IllegalArgumentException.class, () -> r.table("t", List.of("a", "b"), List.of(List.of(1)), "c"));
        var c = Charts.line("t", "x", "y");
        var e = assertThrows(IllegalArgumentException.class, () -> Charts.series(c, "s", new double[] {1, 2}, new double[] {1}));
        assertTrue(e.getMessage().contains("2 x values but 1 y values"));
        assertThrows(IllegalArgumentException.class, () -> r.results().number("missing"));
    }

    @Test
    void imageGridEnlargesEachValueToABlock() {
        ImageGrid g = new ImageGrid(5);
        g.row("r", List.of(new ImageGrid.Tile(new double[] {-1, 0, 0, 1}, 2, 2, "", ImageGrid.Style.DIVERGING)));
        BufferedImage img = g.render();
        // find the tile: the first pixel that is pure diverging blue (value −1)
        int blue = ImageGrid.colour(-1, ImageGrid.Style.DIVERGING, -1, 1, 1), red = ImageGrid.colour(1, ImageGrid.Style.DIVERGING, -1, 1, 1);
        int x0 = -1, y0 = -1;
        for (int y = 0; y < img.getHeight() && x0 < 0; y++)
            for (int x = 0; x < img.getWidth(); x++) if ((img.getRGB(x, y) & 0xFFFFFF) == blue) { x0 = x; y0 = y; break; }
        assertTrue(x0 >= 0, "blue block drawn");
        assertEquals(blue, img.getRGB(x0 + 4, y0 + 4) & 0xFFFFFF);
        assertEquals(0xFFFFFF, img.getRGB(x0 + 5, y0) & 0xFFFFFF);          // value 0 is white
        assertEquals(red, img.getRGB(x0 + 5, y0 + 5) & 0xFFFFFF);
        assertEquals(0xFFFFFF, ImageGrid.colour(0, ImageGrid.Style.DIVERGING, -1, 1, 1));
        assertEquals(0x000000, ImageGrid.colour(0, ImageGrid.Style.GRAY_UNIT, 0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new ImageGrid.Tile(new double[3], 2, 2, "bad", ImageGrid.Style.GRAY_AUTO));
    }

    @Test
    void divergingTilesGetAColourBarBlocksGetGridLinesAndValuesArePrinted() {
        ImageGrid.Tile div = new ImageGrid.Tile(new double[] {-0.5, 0, 0, 0.25}, 2, 2, "k", ImageGrid.Style.DIVERGING);
        ImageGrid.Tile grey = new ImageGrid.Tile(new double[] {0, 0, 0, 1}, 2, 2, "k", ImageGrid.Style.GRAY_UNIT);
        int plain = new ImageGrid(5).row("r", List.of(grey)).render().getHeight();
        BufferedImage withBar = new ImageGrid(5).row("r", List.of(div)).render();
        assertTrue(withBar.getHeight() > plain, "the colour bar takes room under a diverging tile");
        // the bar runs from full blue (−0.5) to full red (+0.5): both colours appear below the tile's two rows
        int blue = ImageGrid.colour(-1, ImageGrid.Style.DIVERGING, -1, 1, 1), red = ImageGrid.colour(1, ImageGrid.Style.DIVERGING, -1, 1, 1);
        boolean barBlue = false, barRed = false;
        for (int y = withBar.getHeight() / 2; y < withBar.getHeight(); y++)
            for (int x = 0; x < withBar.getWidth(); x++) {
                int c = withBar.getRGB(x, y) & 0xFFFFFF;
                barBlue |= c == blue;
                barRed |= c == red;
            }
        assertTrue(barBlue && barRed, "colour bar drawn with both ends");
        assertEquals("0.5", ImageGrid.barLabel(0.5));
        assertEquals("0.00366", ImageGrid.barLabel(1.0 / 273));
        assertEquals(".25", ImageGrid.valueLabel(0.25));
        assertEquals("−.11", ImageGrid.valueLabel(-1.0 / 9));
        assertEquals("−2", ImageGrid.valueLabel(-2));
        // a 4×4 tile with 2×2 blocks: an orange line through the middle, none in a plain tile
        ImageGrid.Tile big = new ImageGrid.Tile(new double[16], 4, 4, "", ImageGrid.Style.GRAY_UNIT);
        assertTrue(hasOrange(new ImageGrid(10).row("", List.of(big.withBlocks(2))).render()));
        assertTrue(!hasOrange(new ImageGrid(10).row("", List.of(big)).render()));
        // printed values change the black cells' pixels (light text on dark cells); the plain tile stays all black
        BufferedImage printed = new ImageGrid(30).row("", List.of(big.withValues())).render(), blank = new ImageGrid(30).row("", List.of(big)).render();
        int changed = 0;
        for (int y = 0; y < printed.getHeight(); y++)
            for (int x = 0; x < printed.getWidth(); x++) if (printed.getRGB(x, y) != blank.getRGB(x, y)) changed++;
        assertTrue(changed > 16, "value text drawn inside the 16 cells, " + changed + " pixels differ");
        assertThrows(IllegalArgumentException.class, () -> big.withBlocks(0));
    }

    private static boolean hasOrange(BufferedImage img) {
        for (int y = 0; y < img.getHeight(); y++)
            for (int x = 0; x < img.getWidth(); x++) if ((img.getRGB(x, y) & 0xFFFFFF) == 0xE67800) return true;
        return false;
    }

}
