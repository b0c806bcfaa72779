package io.hybridstore.common.auth;

import io.hybridstore.common.auth.ClusterAuth;
import io.hybridstore.common.auth.ClusterSecrets;

import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;

/**
 * The cluster secret of the unit tests of every module; each service module's {@code config/application.yaml} on its
 * test class path has the same, so the services its tests start accept what this signs.
 */
public final class TestAuth {

    public static final String SECRET = "hybridstore-unit-test-cluster-secret";
    public static final ClusterAuth AUTH = new ClusterAuth(ClusterSecrets.of(SECRET), Duration.ofMinutes(5),
            Clock.systemUTC());

    private TestAuth() {
    }

    /** {@code request} signed as a service of the cluster would sign it; {@code target} is its path and query. */
    public static HttpRequest.Builder signed(HttpRequest.Builder request, String method, String target, byte[] body) {
        AUTH.httpHeaders(method, target, body).forEach(request::header);
        return request;
    }
}
