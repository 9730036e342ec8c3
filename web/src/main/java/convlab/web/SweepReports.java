package convlab.web;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import convlab.io.StrictJson;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The sweeps under the report folder ({@code convlab sweep --out REPORTS/NAME}, default reports/sweep): every
 * sub-folder with a sweep.json and a report index.html, with the numbers of its results.json; the page links the report.
 */
final class SweepReports {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private final Path reports;

    SweepReports(Path reports) { this.reports = reports; }

    JsonArray list() throws IOException {
        List<Path> dirs = new ArrayList<>();
        if (Files.isDirectory(reports))
            try (Stream<Path> s = Files.list(reports)) {
                s.filter(p -> NAME.matcher(p.getFileName().toString()).matches() && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
                        && Files.isRegularFile(p.resolve("sweep.json"), LinkOption.NOFOLLOW_LINKS)
                        && Files.isRegularFile(p.resolve("index.html"), LinkOption.NOFOLLOW_LINKS)).sorted().forEach(dirs::add);
            }
        JsonArray out = new JsonArray();
        for (Path d : dirs.subList(0, Math.min(dirs.size(), 200))) {
            JsonObject o = new JsonObject();
            String name = d.getFileName().toString();
            o.addProperty("name", name);
            o.addProperty("report", name + "/index.html");
            JsonObject sweep = read(d.resolve("sweep.json")), results = read(d.resolve("results.json"));
            if (sweep != null && sweep.has("grid")) o.add("grid", sweep.get("grid"));
            if (results != null && results.has("results") && results.get("results").isJsonObject()) o.add("results", results.get("results"));
            out.add(o);
        }
        return out;
    }

    private static JsonObject read(Path f) {
        try {
            if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) || Files.size(f) > 1_000_000) return null;
            JsonElement e = StrictJson.parse(Files.readString(f));
            return e.isJsonObject() ? e.getAsJsonObject() : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
