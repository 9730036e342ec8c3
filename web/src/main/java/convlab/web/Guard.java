package convlab.web;

import com.sun.net.httpserver.HttpExchange;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Set;

/**
 * Who may talk to the server. Every request must name the server itself in its Host header (a page on another
 * site whose name was re-pointed at 127.0.0.1, DNS rebinding, names that other site); a request with an Origin
 * header must come from the server's own pages (a cross-site form or fetch from another page in the browser).
 * When the server listens beyond this machine (--host), every request must also carry the access token it
 * printed: the query parameter token=... (the page then keeps it in a same-site cookie) or the header
 * X-Convlab-Token.
 */
final class Guard {
    static final String COOKIE = "convlab_token";

    private final Set<String> hosts;   // allowed Host header values (lower case, with port); empty: any (wildcard bind)
    private final String token;        // null: none needed (loopback only)

    Guard(Set<String> hosts, String token) {
        this.hosts = hosts;
        this.token = token;
    }

    /** Throws a 403 HttpError when the request is not allowed. Returns true when the token came in the query (set the cookie). */
    boolean check(HttpExchange ex) {
        String host = ex.getRequestHeaders().getFirst("Host");
        if (host == null || host.isBlank()) throw new HttpError(403, "forbidden: the request has no Host header");
        host = host.trim().toLowerCase(Locale.ROOT);
        if (!hosts.isEmpty() && !hosts.contains(host))
            throw new HttpError(403, "forbidden: Host '" + host + "' is not this server (allowed: " + String.join(", ", hosts.stream().sorted().toList()) + ")");
        String origin = ex.getRequestHeaders().getFirst("Origin");
        if (origin != null && !sameOrigin(origin, host))
            throw new HttpError(403, "forbidden: cross-origin request from '" + origin + "'");
        String fetchSite = ex.getRequestHeaders().getFirst("Sec-Fetch-Site");
        if (fetchSite != null && fetchSite.equalsIgnoreCase("cross-site"))
            throw new HttpError(403, "forbidden: cross-site request");
        if (token == null) return false;
        String given = ex.getRequestHeaders().getFirst("X-Convlab-Token");
        if (given == null) given = cookie(ex.getRequestHeaders().getFirst("Cookie"));
        boolean fromQuery = false;
        if (given == null) { given = queryToken(ex.getRequestURI()); fromQuery = given != null; }
        if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8)))
            throw new HttpError(403, "forbidden: this server needs the access token it printed at start (open the address it printed, with ?token=...)");
        return fromQuery;
    }

    String token() { return token; }

    private static boolean sameOrigin(String origin, String host) {
        try {
            URI u = URI.create(origin.trim());
            if (!"http".equalsIgnoreCase(u.getScheme()) || u.getHost() == null) return false;
            String h = u.getHost().toLowerCase(Locale.ROOT) + (u.getPort() >= 0 ? ":" + u.getPort() : "");
            return h.equals(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String cookie(String header) {
        if (header == null) return null;
        for (String part : header.split(";")) {
            String p = part.trim();
            if (p.startsWith(COOKIE + "=")) return p.substring(COOKIE.length() + 1);
        }
        return null;
    }

    private static String queryToken(URI uri) {
        String q = uri.getRawQuery();
        if (q == null) return null;
        for (String part : q.split("&")) if (part.startsWith("token=")) return part.substring(6);
        return null;
    }
}
