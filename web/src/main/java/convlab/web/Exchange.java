package convlab.web;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reading bounded request bodies and writing JSON answers. */
final class Exchange {
    private Exchange() {}

    static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeSpecialFloatingPointValues().create();

    /** The body as a JSON object; at most limit bytes (413 beyond, before reading more). */
    static JsonObject jsonBody(HttpExchange ex, int limit) throws IOException {
        String text = body(ex, limit);
        try {
            JsonElement e = JsonParser.parseString(text);
            if (!e.isJsonObject()) throw new HttpError(400, "the request body must be a JSON object");
            return e.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new HttpError(400, "the request body is not valid JSON");
        }
    }

    /**
     * A body up to this many times its limit is read and dropped before the 413 answer: a server that closes the
     * connection with the body unread resets it, and the client (a browser posting a long sheet) then sees a
     * network error instead of the message. Anything larger is refused at once, unread.
     */
    static final int DRAIN_FACTOR = 8;

    static String body(HttpExchange ex, int limit) throws IOException {
        String declared = ex.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                throw new HttpError(400, "bad Content-Length header");
            }
            if (length > limit) {
                if (length <= (long) DRAIN_FACTOR * limit) {
                    try (InputStream in = ex.getRequestBody()) { drain(in, length); }
                }
                throw tooLarge(limit);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try (InputStream in = ex.getRequestBody()) {
            for (int n; (n = in.read(buf)) > 0; ) {
                if (out.size() + n > limit) {
                    drain(in, (long) DRAIN_FACTOR * limit - out.size() - n);
                    throw tooLarge(limit);
                }
                out.write(buf, 0, n);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Reads and drops up to {@code max} more bytes of a request body. */
    private static void drain(InputStream in, long max) throws IOException {
        byte[] buf = new byte[8192];
        for (long left = max; left > 0; ) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n <= 0) break;
            left -= n;
        }
    }

    private static HttpError tooLarge(int limit) {
        return new HttpError(413, "the request body is larger than the server accepts (" + limit + " bytes)");
    }

    static void json(HttpExchange ex, int status, Object value) throws IOException {
        String text = value instanceof String s ? s : GSON.toJson(value);
        send(ex, status, "application/json; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    static void error(HttpExchange ex, int status, String message) throws IOException {
        JsonObject o = new JsonObject();
        o.addProperty("error", message);
        json(ex, status, o);
    }

    static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        boolean none = body.length == 0 || ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, none ? -1 : body.length);
        if (!none) try (var o = ex.getResponseBody()) { o.write(body); }
        ex.close();
    }

    /** A string field, or the default when absent or null. */
    static String str(JsonObject o, String key, String dflt) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) return dflt;
        if (!e.isJsonPrimitive()) throw new HttpError(400, "'" + key + "' must be a string");
        return e.getAsString();
    }

    static boolean bool(JsonObject o, String key) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) return false;
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) throw new HttpError(400, "'" + key + "' must be true or false");
        return e.getAsBoolean();
    }

    static double num(JsonObject o, String key, double dflt) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) return dflt;
        try {
            return e.getAsDouble();
        } catch (RuntimeException bad) {
            throw new HttpError(400, "'" + key + "' must be a number");
        }
    }
}
