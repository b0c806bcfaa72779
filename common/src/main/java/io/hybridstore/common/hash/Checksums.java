package io.hybridstore.common.hash;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/** CRC32C guards every blob on disk and on the wire; SHA-256 identifies logical content (values, cold parts). */
public final class Checksums {

    private Checksums() {
    }

    public static long crc32c(byte[] bytes) {
        return crc32c(bytes, 0, bytes.length);
    }

    public static long crc32c(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return crc.getValue();
    }

    public static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime must provide SHA-256", e);
        }
    }

    /** MD5, for what S3 clients compare against (ETags, Content-MD5); never to protect HybridStore's own data. */
    public static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime must provide MD5", e);
        }
    }

    public static String md5Hex(byte[] bytes) {
        return HexFormat.of().formatHex(md5().digest(bytes));
    }
}
