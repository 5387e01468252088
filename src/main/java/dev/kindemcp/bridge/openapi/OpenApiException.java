package dev.kindemcp.bridge.openapi;

/**
 * Why a document, or one operation of it, does not become tools; its message is the log line (it names the
 * document or the operation, never a stack trace).
 */
public class OpenApiException extends Exception {

    private static final long serialVersionUID = 1L;

    public OpenApiException(String message) {
        super(message);
    }

    public OpenApiException(String message, Throwable cause) {
        super(message, cause);
    }
}
