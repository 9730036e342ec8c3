package convlab.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Raw HTTP/1.1 requests (any Host and Origin header, any body), as a hostile client would send them. */
record Raw(int status, String headers, String body) {
    static Raw send(int port, String method, String path, String host, String extraHeaders, String body) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            String head = method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n" + extraHeaders
                    + (body == null ? "" : "Content-Type: application/json\r\nContent-Length: " + b.length + "\r\n") + "\r\n";
            OutputStream o = s.getOutputStream();
            o.write(head.getBytes(StandardCharsets.UTF_8));
            o.write(b);
            o.flush();
            return read(s.getInputStream());
        }
    }

    /** Reads the status line, the headers and Content-Length bytes of body (or up to the end when none is given). */
    static Raw read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int c, matched = 0;
        while (matched < 4 && (c = in.read()) >= 0) {
            head.write(c);
            matched = (c == '\r' && (matched == 0 || matched == 2)) || (c == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : 0;
        }
        String headers = head.toString(StandardCharsets.UTF_8).strip();
        int status = Integer.parseInt(headers.substring(9, 12));
        long length = -1;
        for (String line : headers.split("\r\n"))
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) length = Long.parseLong(line.substring(15).trim());
        byte[] body;
        try {
            body = length >= 0 ? in.readNBytes((int) length) : in.readAllBytes();
        } catch (java.net.SocketException reset) {
            body = new byte[0];
        }
        return new Raw(status, headers, new String(body, StandardCharsets.UTF_8));
    }
}
