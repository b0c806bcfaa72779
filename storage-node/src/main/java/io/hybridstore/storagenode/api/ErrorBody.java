package io.hybridstore.storagenode.api;

/** Every error the node answers: a stable machine-readable {@code error} and a human-readable {@code detail}. */
record ErrorBody(String error, String detail) {
}
