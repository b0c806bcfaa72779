package io.hybridstore.gateway.access;

import io.hybridstore.web.ErrorBody;
import io.hybridstore.web.auth.ProbeEndpoints;
import io.hybridstore.web.auth.ThrottledLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.Locale;

/**
 * Finds who calls the native API (every port but the S3 one): {@code Authorization: Bearer <access key>:<secret
 * key>}, checked against {@link AccessKeys}. The caller goes on with the request ({@link Caller#of}); the object
 * calls and the admin API check its grants. Credentials that do not hold are refused whatever the mode, so a
 * client never silently works as anonymous; without credentials the request is anonymous under {@code auth=none}
 * and refused under {@code auth=required}, health and metrics excepted (probes and scrapers carry no key).
 */
public final class NativeAuthFilter implements Filter {

    private final ThrottledLog log = new ThrottledLog(LoggerFactory.getLogger(NativeAuthFilter.class), Level.INFO);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String BEARER = "bearer ";

    private final AccessKeys keys;
    private final boolean required;
    private final int s3Port;
    private final MeterRegistry meters;

    public NativeAuthFilter(AccessKeys keys, ClientAuthProperties.AuthMode mode, int s3Port, MeterRegistry meters) {
        this.keys = keys;
        this.required = mode == ClientAuthProperties.AuthMode.REQUIRED;
        this.s3Port = s3Port;
        this.meters = meters;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        if (request.getLocalPort() == s3Port) {
            chain.doFilter(req, res);
            return;
        }
        String authorization = request.getHeader("Authorization");
        try {
            if (authorization != null) {
                caller(authorization).attachTo(request);
            } else if (required && !ProbeEndpoints.open(request.getRequestURI())) {
                throw new UnauthenticatedException("missing", "this gateway requires an access key: send "
                        + "'Authorization: Bearer <access key>:<secret key>'");
            }
        } catch (UnauthenticatedException e) {
            refused(request, (HttpServletResponse) res, e);
            return;
        }
        chain.doFilter(req, res);
    }

    private Caller caller(String authorization) {
        if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            String scheme = authorization.strip().split(" ", 2)[0];
            throw new UnauthenticatedException("malformed", "the native API takes 'Authorization: Bearer <access"
                    + " key>:<secret key>', not '" + scheme.toLowerCase(Locale.ROOT) + "' credentials");
        }
        String credentials = authorization.substring(BEARER.length()).strip();
        int colon = credentials.indexOf(':');
        if (colon < 1 || colon == credentials.length() - 1) {
            throw new UnauthenticatedException("malformed", "a bearer credential is '<access key>:<secret key>'");
        }
        return keys.authenticate(credentials.substring(0, colon), credentials.substring(colon + 1));
    }

    private void refused(HttpServletRequest request, HttpServletResponse response, UnauthenticatedException e)
            throws IOException {
        Counter.builder("hybridstore.gateway.auth.refused")
                .description("Client requests refused for missing or invalid credentials")
                .tag("api", "native").tag("reason", e.reason()).register(meters).increment();
        log.log(() -> "Refused " + request.getMethod() + " " + request.getRequestURI() + " from "
                + request.getRemoteAddr() + ": " + e.getMessage());
        byte[] body = JSON.writeValueAsBytes(new ErrorBody("unauthenticated", e.getMessage()));
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setHeader("WWW-Authenticate", "Bearer realm=\"hybridstore\"");
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
