package io.hybridstore.common.node;

import io.hybridstore.common.auth.ClusterAuth;
import io.hybridstore.common.blob.BlobId;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
 * A DELETE_MANY request has no id of its own (id length 0); its body names the blobs, their ids joined by '\n'. It
 * exists for the deletes nothing waits for (a displaced version's blobs), which a gateway gathers per node: one
 * exchange for dozens of blobs instead of one each.
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

    /** The most blobs one DELETE_MANY names, and so the longest body it has. */
    public static final int MAX_IDS_PER_DELETE = 1000;
    public static final int MAX_ID_LIST_BYTES = MAX_IDS_PER_DELETE * (BlobId.MAX_LENGTH + 1);

    /** Far above any blob (max-blob-size is at most 1 GiB), far below what would overflow an array. */
    static final int MAX_BODY = 1 << 30;
    /** The signed fields but the id: magic, op, flags, id length, crc32c, body length, signing time. */
    private static final int SIGNED_FIXED = 4 + 1 + 1 + 2 + 4 + 4 + 8;

    private BlobWire() {
    }

    public enum Op {
        PUT, GET, DELETE, DELETE_MANY;

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

    /**
     * A request as far as its header: the body, {@code bodyLength} bytes, follows on the stream. {@code id} is null
     * for DELETE_MANY, whose body names its blobs.
     */
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

    /** @param id null for DELETE_MANY only */
    public static void writeRequest(DataOutputStream out, ClusterAuth auth, Op op, int flags, BlobId id, long crc32c,
                                    byte[] body) throws IOException {
        byte[] name = id == null ? new byte[0] : id.value().getBytes(StandardCharsets.US_ASCII);
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
        boolean many = op == Op.DELETE_MANY;
        if (many ? nameLength != 0 : nameLength < 1 || nameLength > BlobId.MAX_LENGTH) {
            throw new WireFormatException("blob id of " + nameLength + " bytes for " + op);
        }
        byte[] name = in.readNBytes(nameLength);
        String id = new String(name, StandardCharsets.US_ASCII);
        if (!many && !BlobId.isValid(id)) {
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
        return new RequestHeader(op, flags, many ? null : new BlobId(id), Integer.toUnsignedLong(crc), length,
                signedAt, mac, fields.array());
    }

    /** A DELETE_MANY body: the ids joined by '\n'. */
    public static byte[] idList(List<BlobId> ids) {
        return String.join("\n", ids.stream().map(BlobId::value).toList()).getBytes(StandardCharsets.US_ASCII);
    }

    /** The ids of a DELETE_MANY body; empty when the body is not a list of at most MAX_IDS_PER_DELETE valid ids. */
    public static Optional<List<BlobId>> parseIdList(byte[] body) {
        String[] names = new String(body, StandardCharsets.US_ASCII).split("\n", -1);
        if (names.length > MAX_IDS_PER_DELETE) {
            return Optional.empty();
        }
        List<BlobId> ids = new ArrayList<>(names.length);
        for (String id : names) {
            if (!BlobId.isValid(id)) {
                return Optional.empty();
            }
            ids.add(new BlobId(id));
        }
        return Optional.of(ids);
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
