package io.hybridstore.gateway.write;

/**
 * A write's body as it arrives from the client. A strategy that needs every field at once reads it whole; an
 * {@code ec} write reads it stripe by stripe, so the gateway holds a bounded number of stripes whatever the size.
 * The body is checked as it is read: a read throws the API's error for a body too large, empty or not a JSON
 * object, and the write that was reading it aborts.
 */
public interface WriteBody {

    /** The length the client declared (Content-Length), or -1 when it sent the body chunked. */
    long declaredLength();

    /** The whole body, checked. */
    byte[] readAll();

    /** Fills {@code buffer} from the body; returns the count, less than the buffer's length only at the end. */
    int readNext(byte[] buffer);

    /** After the last {@link #readNext}: the checks that need the whole body (the object is closed, nothing follows). */
    void finish();
}
