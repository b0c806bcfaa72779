package io.hybridstore.gateway.testing;

import io.hybridstore.common.auth.ClusterAuth;
import io.hybridstore.common.auth.ClusterSecrets;

import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;

/** The cluster secret of this module's tests; {@code config/application.yaml} on the test class path has the same. */
public final class TestAuth {

    public static final String SECRET = "test-cluster-secret-of-api-gateway";
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
