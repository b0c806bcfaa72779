package io.hybridstore.web.auth;

import io.hybridstore.common.auth.ClusterAuth;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every refused internal request, counted in {@code hybridstore.internal.auth.refused} by transport and reason and
 * logged — at most once a second, with how many went unlogged since, so that a flood of forged requests cannot
 * flood the log. What is logged is who asked for what and why it was refused, never a secret or a signature.
 */
public final class AuthRefusals {

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final ThrottledLog log = new ThrottledLog(LoggerFactory.getLogger(AuthRefusals.class), Level.WARN);

    public AuthRefusals(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * @param transport {@code http} or {@code wire}
     * @param what      the request, e.g. {@code POST /scan} or {@code put b-123}
     */
    public void refused(String transport, Object from, String what, ClusterAuth.UnauthenticatedException e) {
        counters.computeIfAbsent(transport + " " + e.refusal().tag(),
                k -> Counter.builder("hybridstore.internal.auth.refused")
                        .description("internal requests refused for want of a valid cluster signature")
                        .tag("transport", transport).tag("reason", e.refusal().tag()).register(registry))
                .increment();
        log.log(() -> "Refused an unauthenticated " + transport + " request from " + from + ": " + what + ": "
                + e.getMessage());
    }
}
