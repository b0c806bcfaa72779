package io.hybridstore.common.node;

import io.hybridstore.common.auth.ClusterAuth;
import io.hybridstore.common.blob.BlobId;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import javax.crypto.Mac;

/**
 * The storage nodes' blob protocol: puts, gets and deletes as length-prefixed binary frames over long-lived TCP
 * connections, one exchange at a time per connection. It replaces HTTP on the data path because every operation
 * of the cluster is a handful of these exchanges, and HTTP's parsing, headers and per-request client machinery
 * cost several times the work the node does for a small blob. Listing, checking and the node's admin endpoints
 * stay on HTTP; they are rare.
 *
 * <pre>
 * request:  magic u32 "HSW2" | op u8 | flags u8 | id length u16 | id (ASCII) | crc32c u32 | body length u32
 *           | signed at u64 (epoch ms) | mac [32] | body
 * response: status u16 (an HTTP status code) | crc32c u32 | body length u32 | body
 * </pre>
 *
 * The MAC is HMAC-SHA256 with the cluster secret ({@link ClusterAuth}) over the request from its magic to its
 * signing time, then its body: a node serves only requests of its own cluster's services.
 *
 * A get's answer carries the blob and its CRC32C; an error's body is a UTF-8 message. Statuses are HTTP's so that
 * callers keep one vocabulary for both transports ({@link StorageNodeException#status()}).
 */
public final class BlobWire {

    public static final int MAGIC = 0x48535732;
    /** A delete answered before it is on disk: for blobs no manifest references. */
    public static final int FLAG_NOT_DURABLE = 1;

    /** Far above any blob (max-blob-size is at most 1 GiB), far below what would overflow an array. */
    static final int MAX_BODY = 1 << 30;
    /** The signed fields but the id: magic, op, flags, id length, crc32c, body length, signing time. */
    private static final int SIGNED_FIXED = 4 + 1 + 1 + 2 + 4 + 4 + 8;

    private BlobWire() {
    }

    public enum Op {
        PUT, GET, DELETE;

        private static final Op[] ALL = values();

        static Op of(int code) throws IOException {
            if (code < 1 || code > ALL.length) {
                throw new WireFormatException("unknown operation " + code);
            }
            return ALL[code - 1];
        }

        int code() {
            return ordinal() + 1;
        }
    }

    /** A request as far as its header: the body, {@code bodyLength} bytes, follows on the stream. */
    public record RequestHeader(Op op, int flags, BlobId id, long crc32c, int bodyLength, long signedAt, byte[] mac,
                                byte[] signedFields) {

        public boolean durable() {
            return (flags & FLAG_NOT_DURABLE) == 0;
        }

        /**
         * @param body the request's whole body
         * @throws ClusterAuth.UnauthenticatedException when the request is not signed by this cluster
         */
        public void verify(ClusterAuth auth, byte[] body) {
            auth.verifyWire(signedAt, mac, signedFields, body);
        }
    }

    public record Response(int status, long crc32c, byte[] body) {

        public String message() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** A peer that does not speak this protocol, or a stream cut mid-frame. */
    public static final class WireFormatException extends IOException {
        public WireFormatException(String message) {
            super(message);
        }
    }

    public static void writeRequest(DataOutputStream out, ClusterAuth auth, Op op, int flags, BlobId id, long crc32c,
                                    byte[] body) throws IOException {
        byte[] name = id.value().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer fields = ByteBuffer.allocate(SIGNED_FIXED + name.length);
        fields.putInt(MAGIC).put((byte) op.code()).put((byte) flags).putShort((short) name.length).put(name)
                .putInt((int) crc32c).putInt(body.length).putLong(auth.now());
        Mac mac = auth.wireSigner();
        mac.update(fields.array());
        mac.update(body);
        out.write(fields.array());
        out.write(mac.doFinal());
        out.write(body);
        out.flush();
    }

    /** The next request's header, or null when the peer closed the connection between requests. */
    public static RequestHeader readRequestHeader(DataInputStream in) throws IOException {
        int first = in.read();
        if (first < 0) {
            return null;
        }
        int magic = (first << 24) | (in.readUnsignedByte() << 16) | in.readUnsignedShort();
        if (magic != MAGIC) {
            throw new WireFormatException("not a HybridStore blob request (magic " + Integer.toHexString(magic) + ")");
        }
        int opCode = in.readUnsignedByte();
        Op op = Op.of(opCode);
        int flags = in.readUnsignedByte();
        int nameLength = in.readUnsignedShort();
        if (nameLength < 1 || nameLength > BlobId.MAX_LENGTH) {
            throw new WireFormatException("blob id of " + nameLength + " bytes");
        }
        byte[] name = in.readNBytes(nameLength);
        String id = new String(name, StandardCharsets.US_ASCII);
        if (!BlobId.isValid(id)) {
            throw new WireFormatException("invalid blob id");
        }
        int crc = in.readInt();
        int length = in.readInt();
        if (length < 0 || length > MAX_BODY) {
            throw new WireFormatException("body of " + Integer.toUnsignedString(length) + " bytes");
        }
        long signedAt = in.readLong();
        byte[] mac = new byte[ClusterAuth.MAC_LENGTH];
        in.readFully(mac);
        ByteBuffer fields = ByteBuffer.allocate(SIGNED_FIXED + nameLength);
        fields.putInt(MAGIC).put((byte) opCode).put((byte) flags).putShort((short) nameLength).put(name).putInt(crc)
                .putInt(length).putLong(signedAt);
        return new RequestHeader(op, flags, new BlobId(id), Integer.toUnsignedLong(crc), length, signedAt, mac,
                fields.array());
    }

    public static void writeResponse(DataOutputStream out, int status, long crc32c, byte[] body) throws IOException {
        out.writeShort(status);
        out.writeInt((int) crc32c);
        out.writeInt(body.length);
        out.write(body);
        out.flush();
    }

    public static Response readResponse(DataInputStream in) throws IOException {
        int status = in.readUnsignedShort();
        long crc = Integer.toUnsignedLong(in.readInt());
        int length = in.readInt();
        if (length < 0 || length > MAX_BODY) {
            throw new WireFormatException("answer of " + Integer.toUnsignedString(length) + " bytes");
        }
        byte[] body = new byte[length];
        in.readFully(body);
        return new Response(status, crc, body);
    }
}
