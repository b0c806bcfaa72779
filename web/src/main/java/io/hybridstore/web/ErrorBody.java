package io.hybridstore.web;

/**
 * Every error answer of every HybridStore service: a stable machine-readable code and a sentence for humans, as
 * {@code {"error": "...", "detail": "..."}}.
 */
public record ErrorBody(String error, String detail) {

    /** The code of an error nothing more specific describes: what the HTTP status itself says. */
    public static String codeFor(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 408 -> "request_timeout";
            case 413 -> "content_too_large";
            case 415 -> "unsupported_media_type";
            case 500 -> "internal_error";
            default -> "http_" + status;
        };
    }
}
