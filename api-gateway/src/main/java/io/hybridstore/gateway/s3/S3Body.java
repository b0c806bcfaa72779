package io.hybridstore.gateway.s3;

import io.hybridstore.common.hash.Checksums;
import io.hybridstore.gateway.memory.MemoryBudget.Reservation;
import io.hybridstore.gateway.write.WriteBody;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.util.HexFormat;

/**
 * A PutObject body, already decoded from its payload encoding and checked by it as it is read. Its length is always
 * known (S3 requires Content-Length, or x-amz-decoded-content-length for aws-chunked), so a whole read allocates
 * exactly that once it is reserved; the MD5 that becomes the ETag is taken on the way. The stream is read to its end
 * in every case, since that is where the payload's signature and checksums are verified.
 */
final class S3Body implements WriteBody {

    private final DigestInputStream in;
    private final long length;
    private final Reservation memory;
    private final long pieceWorkingSet;
    private final int copies;
    private long received;

    /**
     * @param copies how many body-sized arrays a write that reads the body whole holds (see the native API's body)
     */
    S3Body(InputStream payload, long length, Reservation memory, long pieceWorkingSet, int copies) {
        this.in = new DigestInputStream(payload, Checksums.md5());
        this.length = length;
        this.memory = memory;
        this.pieceWorkingSet = pieceWorkingSet;
        this.copies = copies;
    }

    @Override
    public long declaredLength() {
        return length;
    }

    @Override
    public byte[] readAll() {
        memory.grow(length * copies);
        try {
            byte[] body = in.readNBytes((int) length);
            if (body.length < length) {
                throw incomplete(body.length);
            }
            requireEnd();
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the request body", e);
        }
    }

    @Override
    public int readNext(byte[] buffer) {
        if (received == 0) {
            memory.grow(pieceWorkingSet);
        }
        try {
            int n = in.readNBytes(buffer, 0, (int) Math.min(buffer.length, length - received));
            received += n;
            if (n < buffer.length && received < length) {
                throw incomplete(received);
            }
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the request body", e);
        }
    }

    @Override
    public void finish() {
        try {
            requireEnd();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the request body", e);
        }
    }

    /** The hex MD5 of the body: its ETag. Only once the body was read whole. */
    String md5Hex() {
        return HexFormat.of().formatHex(in.getMessageDigest().digest());
    }

    private void requireEnd() throws IOException {
        if (in.read() >= 0) {
            throw new S3Exception(S3Error.INCOMPLETE_BODY, "The request body is longer than its declared length "
                    + length);
        }
    }

    private S3Exception incomplete(long got) {
        return new S3Exception(S3Error.INCOMPLETE_BODY, "You did not provide the number of bytes specified by the "
                + "Content-Length HTTP header: got " + got + " of " + length);
    }
}
