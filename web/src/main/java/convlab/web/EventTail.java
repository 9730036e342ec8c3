package convlab.web;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * Server-sent events from a JSON-lines log that another thread or process appends to: every complete line is
 * one event; new lines are looked for every 200 ms (so a page updates up to 5 times a second) until a line of
 * type "end" is sent, the writer is gone (alive says false and nothing new came), or the page goes away.
 */
final class EventTail {
    private EventTail() {}

    static final long POLL_MILLIS = 200;
    private static final long PING_MILLIS = 10_000;

    static void stream(HttpExchange ex, Path file, BooleanSupplier alive) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(200, 0);
        long pos = 0, lastSend = System.currentTimeMillis();
        StringBuilder partial = new StringBuilder();
        try (OutputStream out = ex.getResponseBody()) {
            while (true) {
                boolean writerAlive = alive.getAsBoolean();   // asked before reading: lines written before it died are read below
                StringBuilder batch = new StringBuilder();
                boolean ended = false;
                if (Files.exists(file)) {
                    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
                        long len = f.length();
                        if (len > pos) {
                            byte[] b = new byte[(int) Math.min(len - pos, 4 << 20)];
                            f.seek(pos);
                            f.readFully(b);
                            pos += b.length;
                            partial.append(new String(b, StandardCharsets.UTF_8));
                            int nl;
                            while ((nl = partial.indexOf("\n")) >= 0) {
                                String line = partial.substring(0, nl);
                                partial.delete(0, nl + 1);
                                if (line.isBlank()) continue;
                                batch.append("data: ").append(line).append("\n\n");
                                if (line.contains("\"type\":\"end\"")) ended = true;
                            }
                        }
                    }
                }
                long now = System.currentTimeMillis();
                if (batch.isEmpty() && now - lastSend > PING_MILLIS) batch.append(": ping\n\n");
                if (!batch.isEmpty()) {
                    out.write(batch.toString().getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    lastSend = now;
                }
                if (ended) return;
                if (!writerAlive && batch.isEmpty()) {
                    out.write("data: {\"type\":\"end\",\"status\":\"interrupted\",\"message\":\"the run stopped without finishing its log\"}\n\n"
                            .getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    return;
                }
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        } catch (IOException pageGone) {
            // the browser closed the stream: nothing to do
        } finally {
            ex.close();
        }
    }
}
