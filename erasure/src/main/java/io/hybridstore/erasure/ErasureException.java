package io.hybridstore.erasure;

/** Base of the codec's own failures, so callers can map them without catching unrelated runtime exceptions. */
public abstract sealed class ErasureException extends RuntimeException
        permits TooFewShardsException, ShardSizeMismatchException, CodecSelfTestException, BackendUnavailableException {

    ErasureException(String message) {
        super(message);
    }

    ErasureException(String message, Throwable cause) {
        super(message, cause);
    }
}
