package convlab.web;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The report browser: every folder of the report folder (one or two levels down) that holds an index.html, as an
 * experiment, a sweep ({@code convlab sweep --out reports/...}) or anything else writes it, with its files (names
 * relative to the report folder, served under /reports/). The runs' logs (runs/) and the experiments' progress
 * logs are not reports. Hidden names and symbolic links are skipped; the lists are bounded.
 */
final class ReportFolders {
    private ReportFolders() {}

    static final int MAX_FOLDERS = 200, MAX_FILES = 200;

    static JsonArray list(Path reports) throws IOException {
        JsonArray out = new JsonArray();
        for (Path dir : children(reports)) {
            String name = dir.getFileName().toString();
            if (name.equals("runs") || name.equals("experiment-log")) continue;
            add(out, reports, dir);
            for (Path sub : children(dir)) add(out, reports, sub);
        }
        return out;
    }

    private static void add(JsonArray out, Path reports, Path dir) throws IOException {
        if (out.size() >= MAX_FOLDERS || !Files.isRegularFile(dir.resolve("index.html"), LinkOption.NOFOLLOW_LINKS)) return;
        String rel = reports.relativize(dir).toString().replace('\\', '/');
        JsonObject o = new JsonObject();
        o.addProperty("folder", rel);
        o.addProperty("modified", Files.getLastModifiedTime(dir.resolve("index.html")).toMillis());
        JsonArray files = new JsonArray();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && !p.getFileName().toString().startsWith("."))
                    .map(p -> p.getFileName().toString()).sorted().limit(MAX_FILES).forEach(f -> files.add(rel + "/" + f));
        }
        o.add("files", files);
        out.add(o);
    }

    /** The visible sub-folders (no links), sorted by name. */
    private static List<Path> children(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && !p.getFileName().toString().startsWith("."))
                    .sorted().limit(MAX_FOLDERS).toList();
        }
    }
}
