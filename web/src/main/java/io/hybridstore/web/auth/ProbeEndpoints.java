package io.hybridstore.web.auth;

/** What probes and scrapers call on every service: open without credentials, since it reveals no data. */
public final class ProbeEndpoints {

    private ProbeEndpoints() {
    }

    public static boolean open(String path) {
        return path.equals("/health") || path.equals("/actuator/health") || path.startsWith("/actuator/health/")
                || path.equals("/actuator/prometheus");
    }
}
