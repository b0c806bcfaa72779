package io.hybridstore.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The secret the services of a run dir sign their requests to each other with: generated on the first {@code up},
 * 256 random bits, kept in the run dir's {@code cluster-secret} (mode 0600) and handed to every service as the path
 * of that file, never the secret itself. The services read the file again when it changes, so a rotation is an
 * edit of it (README, "Internal authentication").
 */
public final class ClusterSecret {

    private ClusterSecret() {
    }

    public static Path file(RunDir runDir) {
        return runDir.root().resolve("cluster-secret");
    }

    /** The run dir's secret file, created with a new secret if it has none. */
    static Path ensure(RunDir runDir) {
        Path file = file(runDir);
        if (Files.isRegularFile(file)) {
            return file;
        }
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        try {
            Files.createDirectories(file.getParent());
            Path fresh = Files.createTempFile(file.getParent(), "cluster-secret", ".new",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(fresh, Base64.getUrlEncoder().withoutPadding().encodeToString(secret) + "\n");
            Files.move(fresh, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the cluster secret " + file, e);
        }
        return file;
    }
}
