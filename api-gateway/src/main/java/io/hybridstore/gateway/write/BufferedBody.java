package io.hybridstore.gateway.write;

/** A body the gateway built itself (a merged value, an S3 copy's source), already checked. */
public final class BufferedBody implements WriteBody {

    private final byte[] bytes;
    private final PartWriter.StripeSource stripes;

    public BufferedBody(byte[] bytes) {
        this.bytes = bytes;
        this.stripes = PartWriter.StripeSource.of(bytes);
    }

    @Override
    public long declaredLength() {
        return bytes.length;
    }

    @Override
    public byte[] readAll() {
        return bytes;
    }

    @Override
    public int readNext(byte[] buffer) {
        return stripes.next(buffer);
    }

    @Override
    public void finish() {
    }
}
