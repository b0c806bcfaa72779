package io.hybridstore.gateway.write;

/** A body the gateway built itself (a merged value), already a checked JSON object. */
final class BufferedBody implements WriteBody {

    private final byte[] bytes;
    private int position;

    BufferedBody(byte[] bytes) {
        this.bytes = bytes;
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
        int count = Math.min(buffer.length, bytes.length - position);
        System.arraycopy(bytes, position, buffer, 0, count);
        position += count;
        return count;
    }

    @Override
    public void finish() {
    }
}
