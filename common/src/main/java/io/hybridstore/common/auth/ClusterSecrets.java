package io.hybridstore.common.auth;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The cluster's secrets as HMAC-SHA256 keys: the first signs, all verify. From a file they are read again when the
 * file is replaced or its modification time or size changes (looked at no more than once a second), so that a rotation needs no
 * restart: add the new secret as a second line everywhere, move it first, then drop the old one. A file that cannot
 * be read or holds no secret leaves the last good ones in force.
 */
public final class ClusterSecrets {

    private static final Logger log = LoggerFactory.getLogger(ClusterSecrets.class);
    /** HMAC-SHA256 keys shorter than this are guessable; the generated ones are 43 characters. */
    static final int MIN_LENGTH = 16;
    private static final long RECHECK_NANOS = 1_000_000_000L;

    private final Path file;
    private volatile Keys keys;
    private volatile long checkedAt;

    /** The keys, and what identified the file they were read from: inode, modification time, size. */
    private record Keys(List<Mac> macs, Object fileKey, FileTime modified, long size) {

        boolean readFrom(BasicFileAttributes file) {
            return Objects.equals(fileKey, file.fileKey()) && file.lastModifiedTime().equals(modified)
                    && file.size() == size;
        }
    }

    private ClusterSecrets(Path file, Keys keys) {
        this.file = file;
        this.keys = keys;
        this.checkedAt = System.nanoTime();
    }

    public static ClusterSecrets of(InternalAuthProperties properties) {
        if (properties.secretFile() == null) {
            return new ClusterSecrets(null, new Keys(macs(properties.secrets(), "secrets"), null, null, 0));
        }
        Keys keys = read(properties.secretFile());
        return new ClusterSecrets(properties.secretFile(), keys);
    }

    /** Fixed secrets, first one signing; for tests and tools. */
    public static ClusterSecrets of(String... secrets) {
        return new ClusterSecrets(null, new Keys(macs(List.of(secrets), "secrets"), null, null, 0));
    }

    /** A fresh Mac keyed with the signing secret. */
    Mac signer() {
        return copy(current().macs().getFirst());
    }

    /** Fresh Macs for every accepted secret, the signing one first. */
    List<Mac> verifiers() {
        return current().macs().stream().map(ClusterSecrets::copy).toList();
    }

    private Keys current() {
        if (file != null && System.nanoTime() - checkedAt > RECHECK_NANOS) {
            checkedAt = System.nanoTime();
            reloadIfChanged();
        }
        return keys;
    }

    private void reloadIfChanged() {
        Keys held = keys;
        try {
            if (held.readFrom(Files.readAttributes(file, BasicFileAttributes.class))) {
                return;
            }
            keys = read(file);
            log.info("Cluster secrets re-read from {}: {} accepted", file, keys.macs().size());
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            log.warn("Cluster secrets in {} could not be re-read, keeping the {} in force: {}", file,
                    held.macs().size(), e.getMessage());
        }
    }

    private static Keys read(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::trim)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
            return new Keys(macs(lines, file.toString()), attributes.fileKey(), attributes.lastModifiedTime(),
                    attributes.size());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the cluster secret file " + file, e);
        }
    }

    private static List<Mac> macs(List<String> secrets, String source) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("no cluster secret in " + source);
        }
        if (secrets.size() > 2) {
            throw new IllegalArgumentException(source + " holds " + secrets.size()
                    + " cluster secrets; at most two are accepted at once (the new and the old during a rotation)");
        }
        return secrets.stream().map(secret -> {
            if (secret.length() < MIN_LENGTH) {
                throw new IllegalArgumentException("a cluster secret in " + source + " is shorter than " + MIN_LENGTH
                        + " characters");
            }
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is not available", e);
            }
        }).toList();
    }

    /** A keyed Mac is not thread-safe; a copy of one keyed already skips the key schedule. */
    private static Mac copy(Mac prototype) {
        try {
            return (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("HmacSHA256 cannot be cloned", e);
        }
    }
}
