package io.hybridstore.gateway.api;

/** Every error answer of the public API: a stable machine-readable code and a sentence for humans. */
record ErrorBody(String error, String detail) {
}
