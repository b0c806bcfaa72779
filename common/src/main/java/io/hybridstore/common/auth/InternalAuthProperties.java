package io.hybridstore.common.auth;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How a service proves to the others that it belongs to this cluster, settings {@code hybridstore.internal-auth.*}.
 * Plain Java like {@link io.hybridstore.common.etcd.EtcdProperties}: each service binds it by its constructor.
 *
 * @param secrets    the cluster secrets, the first one signing and every one accepted (two during a rotation); a
 *                   comma-separated string binds too. Used when {@code secretFile} is not set
 * @param secretFile a file of secrets, one per line, the first one signing; read again whenever it changes, so a
 *                   rotation is an edit of the file on every machine
 * @param maxSkew    how far a request's signed time may lie from this service's clock, either way; older or
 *                   newer signed requests are refused, so a captured one cannot be replayed later than this
 */
public record InternalAuthProperties(List<String> secrets, Path secretFile, Duration maxSkew) {

    /** Where the settings live. */
    public static final String PREFIX = "hybridstore.internal-auth";

    public static final Duration DEFAULT_MAX_SKEW = Duration.ofMinutes(5);

    public InternalAuthProperties {
        secrets = secrets == null ? List.of() : secrets.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        maxSkew = maxSkew == null ? DEFAULT_MAX_SKEW : maxSkew;
        if (!maxSkew.isPositive()) {
            throw new IllegalArgumentException(PREFIX + ".max-skew must be positive, not " + maxSkew);
        }
        if (secretFile == null && secrets.isEmpty()) {
            throw new IllegalArgumentException("no cluster secret: set " + PREFIX + ".secret-file (a file holding"
                    + " it, mode 0600) or " + PREFIX + ".secrets (environment HYBRIDSTORE_INTERNAL_AUTH_SECRETS);"
                    + " every storage node, gateway and healer of the cluster needs the same one");
        }
    }
}
