package convlab.web;

/** A request the server refuses: an HTTP status and a message a person can act on (sent as JSON {"error": ...}). */
final class HttpError extends RuntimeException {
    final int status;

    HttpError(int status, String message) {
        super(message);
        this.status = status;
    }
}
