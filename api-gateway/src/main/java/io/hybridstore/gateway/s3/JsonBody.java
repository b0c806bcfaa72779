package io.hybridstore.gateway.s3;

import io.hybridstore.gateway.api.ApiException;
import io.hybridstore.gateway.api.JsonObjectCheck;
import io.hybridstore.gateway.write.WriteBody;

/** A {@code field_hybrid} body: it must be one JSON object, checked by the native API's rules before it is split. */
final class JsonBody implements WriteBody {

    private final WriteBody body;
    private final JsonObjectCheck check;

    JsonBody(WriteBody body, JsonObjectCheck check) {
        this.body = body;
        this.check = check;
    }

    @Override
    public long declaredLength() {
        return body.declaredLength();
    }

    @Override
    public byte[] readAll() {
        byte[] bytes = body.readAll();
        try {
            check.requireObject(bytes);
        } catch (ApiException e) {
            throw new S3Exception(S3Error.INVALID_ARGUMENT, "field_hybrid needs one JSON object: " + e.getMessage());
        }
        return bytes;
    }

    @Override
    public int readNext(byte[] buffer) {
        throw new UnsupportedOperationException("a field_hybrid write reads its body whole");
    }

    @Override
    public void finish() {
        body.finish();
    }
}
