package io.hybridstore.cluster;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Properties;

/**
 * The S3 API's root key of a run dir. Given in the environment ({@code HYBRIDSTORE_S3_ACCESS_KEY} and
 * {@code HYBRIDSTORE_S3_SECRET_KEY}), it is used as is; otherwise one is generated on the first {@code up}. Either
 * way it is kept in the run dir's {@code s3-credentials} (mode 0600), so the same key works across restarts. It reaches the
 * gateways through their environment, never their command line, which every local user can read.
 */
public final class S3Credentials {

    public static final String ACCESS_KEY = "HYBRIDSTORE_S3_ACCESS_KEY";
    public static final String SECRET_KEY = "HYBRIDSTORE_S3_SECRET_KEY";
    private static final String ACCESS_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final String SECRET_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private S3Credentials() {
    }

    static Path file(RunDir runDir) {
        return runDir.root().resolve("s3-credentials");
    }

    /** The key pair: from {@code settings} when both are set, else the run dir's, generated if it has none. */
    public static Map<String, String> of(RunDir runDir, Map<String, String> settings) {
        Path file = file(runDir);
        try {
            if (settings.containsKey(ACCESS_KEY) && settings.containsKey(SECRET_KEY)) {
                write(file, settings.get(ACCESS_KEY), settings.get(SECRET_KEY));
            } else if (!Files.isRegularFile(file)) {
                SecureRandom random = new SecureRandom();
                write(file, "HS" + random(random, ACCESS_ALPHABET, 18), random(random, SECRET_ALPHABET, 40));
            }
            Properties saved = new Properties();
            try (Reader in = Files.newBufferedReader(file)) {
                saved.load(in);
            }
            return Map.of(ACCESS_KEY, saved.getProperty(ACCESS_KEY), SECRET_KEY, saved.getProperty(SECRET_KEY));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }

    /** Kept in the run dir either way, so a later {@code start NAME} without the variables uses the same key. */
    private static void write(Path file, String accessKey, String secretKey) throws IOException {
        Properties key = new Properties();
        key.setProperty(ACCESS_KEY, accessKey);
        key.setProperty(SECRET_KEY, secretKey);
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (Writer out = Files.newBufferedWriter(file)) {
            key.store(out, "The S3 API's root key of this run dir");
        }
    }

    private static String random(SecureRandom random, String alphabet, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }
}
