package io.hybridstore.storagenode.store;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The on-disk record, appended to segment files:
 * <pre>
 *   magic u32 | type u8 | seq u64 | createdAt u64 | idLength u16 | dataLength u32 | dataCrc32c u32 | headerCrc32c u32
 *   | id bytes | data bytes
 * </pre>
 * Big-endian. The header CRC covers the fixed fields and the id, so a torn or overwritten header is recognised
 * rather than trusted; the data CRC is the blob's own CRC32C and is verified on every read. {@code seq} is a
 * store-wide sequence number: recovery keeps, per id, the record with the highest seq, which makes the order of
 * records across segments (several writers, compaction copies) irrelevant.
 */
final class RecordFormat {

    static final int MAGIC = 0x48534231; // "HSB1"
    static final byte PUT = 1;
    static final byte DELETE = 2;
    static final int FIXED_HEADER = 4 + 1 + 8 + 8 + 2 + 4 + 4 + 4;

    /** A record header as read back from a segment; {@code dataOffset} is where its data starts in the file. */
    record Header(byte type, long seq, long createdAt, String id, int dataLength, long dataCrc32c,
                  long recordOffset, long dataOffset) {

        long recordLength() {
            return dataOffset - recordOffset + dataLength;
        }
    }

    private RecordFormat() {
    }

    static ByteBuffer header(byte type, long seq, long createdAt, String id, int dataLength, long dataCrc32c) {
        byte[] idBytes = id.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer buffer = ByteBuffer.allocate(FIXED_HEADER + idBytes.length);
        buffer.putInt(MAGIC).put(type).putLong(seq).putLong(createdAt).putShort((short) idBytes.length)
                .putInt(dataLength).putInt((int) dataCrc32c);
        int crcPosition = buffer.position();
        buffer.putInt(0).put(idBytes);
        buffer.putInt(crcPosition, (int) headerCrc(buffer.array(), crcPosition, idBytes.length));
        return buffer.flip();
    }

    static int recordLength(String id, int dataLength) {
        return FIXED_HEADER + id.length() + dataLength;
    }

    /**
     * The header at {@code offset}, or empty when what is there is not a whole, valid record: the end of the
     * segment, a torn append from a crash, or damage. The caller stops scanning the segment there.
     */
    static Optional<Header> read(FileChannel channel, long offset, long fileSize) throws IOException {
        if (offset + FIXED_HEADER > fileSize) {
            return Optional.empty();
        }
        ByteBuffer fixed = readFully(channel, offset, FIXED_HEADER);
        if (fixed.getInt(0) != MAGIC) {
            return Optional.empty();
        }
        byte type = fixed.get(4);
        long seq = fixed.getLong(5);
        long createdAt = fixed.getLong(13);
        int idLength = Short.toUnsignedInt(fixed.getShort(21));
        int dataLength = fixed.getInt(23);
        long dataCrc = Integer.toUnsignedLong(fixed.getInt(27));
        int storedHeaderCrc = fixed.getInt(31);
        long dataOffset = offset + FIXED_HEADER + idLength;
        if ((type != PUT && type != DELETE) || dataLength < 0 || dataOffset + dataLength > fileSize) {
            return Optional.empty();
        }
        byte[] whole = new byte[FIXED_HEADER + idLength];
        fixed.get(0, whole, 0, FIXED_HEADER);
        readFully(channel, offset + FIXED_HEADER, idLength).get(whole, FIXED_HEADER, idLength);
        if ((int) headerCrc(whole, 31, idLength) != storedHeaderCrc) {
            return Optional.empty();
        }
        String id = new String(whole, FIXED_HEADER, idLength, StandardCharsets.US_ASCII);
        return Optional.of(new Header(type, seq, createdAt, id, dataLength, dataCrc, offset, dataOffset));
    }

    static ByteBuffer readFully(FileChannel channel, long offset, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, offset + buffer.position()) < 0) {
                throw new EOFException("segment ends before offset " + (offset + length));
            }
        }
        return buffer.flip();
    }

    /** CRC32C of the fixed fields before the header CRC and of the id that follows it. */
    private static long headerCrc(byte[] header, int crcPosition, int idLength) {
        CRC32C crc = new CRC32C();
        crc.update(header, 0, crcPosition);
        crc.update(header, crcPosition + 4, idLength);
        return crc.getValue();
    }
}
