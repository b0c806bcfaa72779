package io.hybridstore.erasure;

/**
 * A backend produced wrong bytes for the built-in known-answer vector. Thrown instead of running, because a codec
 * that computes wrong parity silently destroys the redundancy of every object written with it.
 */
public final class CodecSelfTestException extends ErasureException {

    public CodecSelfTestException(String message) {
        super(message);
    }
}
