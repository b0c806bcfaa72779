package io.hybridstore.common.etcd;

import java.time.Duration;
import java.util.List;

/**
 * How every HybridStore service reaches etcd, settings {@code hybridstore.etcd.*}. Plain Java, so that common stays
 * free of Spring: each service binds it by its constructor (Spring Boot's {@code Binder}), and a setting left out
 * gets its default here.
 *
 * @param endpoints      client URLs of the etcd members; a comma-separated string binds too
 * @param prefix         root of HybridStore's keys in etcd (see {@link EtcdKeys})
 * @param requestTimeout upper bound for one etcd call made by the service
 */
public record EtcdProperties(List<String> endpoints, String prefix, Duration requestTimeout) {

    /** Where the settings live. */
    public static final String PREFIX = "hybridstore.etcd";

    public static final List<String> DEFAULT_ENDPOINTS = List.of("http://127.0.0.1:2379");
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);

    public EtcdProperties {
        endpoints = endpoints == null ? DEFAULT_ENDPOINTS : endpoints.stream().map(String::trim).toList();
        if (endpoints.isEmpty() || endpoints.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException(PREFIX + ".endpoints must name at least one URL and no empty one");
        }
        prefix = prefix == null ? EtcdKeys.DEFAULT_PREFIX : prefix;
        if (prefix.isBlank()) {
            throw new IllegalArgumentException(PREFIX + ".prefix must not be blank");
        }
        requestTimeout = requestTimeout == null ? DEFAULT_REQUEST_TIMEOUT : requestTimeout;
        if (!requestTimeout.isPositive()) {
            throw new IllegalArgumentException(PREFIX + ".request-timeout must be positive, not " + requestTimeout);
        }
    }

    public EtcdKeys keys() {
        return new EtcdKeys(prefix);
    }
}
