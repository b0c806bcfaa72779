package io.hybridstore.healer.leadership;

/** A pass or scrub was asked for while as many requests as are kept already wait for the next one. */
public final class TooManyWaitingException extends RuntimeException {

    public TooManyWaitingException(String message) {
        super(message);
    }
}
