package io.hybridstore.gateway.s3.auth;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/** The checksums S3 clients send: CRC32, CRC32C, CRC64/NVME, SHA-1, SHA-256 (and MD5 for Content-MD5). */
final class Checksums {

    static final List<String> ALGORITHMS = List.of("crc32", "crc32c", "crc64nvme", "sha1", "sha256");

    private Checksums() {
    }

    /** A checksum being computed; {@link #value} is its big-endian bytes. */
    interface Running {
        void update(byte[] b, int off, int n);

        byte[] value();
    }

    static Running running(String algorithm) {
        return switch (algorithm) {
            case "crc32" -> crc(new CRC32());
            case "crc32c" -> crc(new CRC32C());
            case "crc64nvme" -> new Crc64Nvme();
            case "sha1" -> digest("SHA-1");
            case "sha256" -> digest("SHA-256");
            case "md5" -> digest("MD5");
            default -> throw new IllegalArgumentException("unknown checksum " + algorithm);
        };
    }

    /** How many bytes a value of {@code algorithm} has. */
    static int length(String algorithm) {
        return switch (algorithm) {
            case "crc32", "crc32c" -> 4;
            case "crc64nvme" -> 8;
            case "sha1" -> 20;
            case "sha256" -> 32;
            case "md5" -> 16;
            default -> throw new IllegalArgumentException("unknown checksum " + algorithm);
        };
    }

    private static Running crc(Checksum crc) {
        return new Running() {
            @Override
            public void update(byte[] b, int off, int n) {
                crc.update(b, off, n);
            }

            @Override
            public byte[] value() {
                return ByteBuffer.allocate(4).putInt((int) crc.getValue()).array();
            }
        };
    }

    private static Running digest(String algorithm) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance(algorithm);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has " + algorithm, e);
        }
        return new Running() {
            @Override
            public void update(byte[] b, int off, int n) {
                digest.update(b, off, n);
            }

            @Override
            public byte[] value() {
                return digest.digest();
            }
        };
    }

    /** CRC-64/NVME: reflected, polynomial 0xAD93D23594C93659, initial value and final XOR all ones. */
    static final class Crc64Nvme implements Running {

        private static final long[] TABLE = new long[256];

        static {
            long reflected = 0x9A6C9329AC4BC9B5L;
            for (int i = 0; i < 256; i++) {
                long crc = i;
                for (int bit = 0; bit < 8; bit++) {
                    crc = (crc & 1) != 0 ? (crc >>> 1) ^ reflected : crc >>> 1;
                }
                TABLE[i] = crc;
            }
        }

        private long crc = -1L;

        @Override
        public void update(byte[] b, int off, int n) {
            for (int i = off; i < off + n; i++) {
                crc = TABLE[(int) ((crc ^ b[i]) & 0xFF)] ^ (crc >>> 8);
            }
        }

        @Override
        public byte[] value() {
            return ByteBuffer.allocate(8).putLong(~crc).array();
        }
    }
}
