package io.hybridstore.web.auth;

import io.hybridstore.common.auth.ClusterAuth;
import io.hybridstore.web.ErrorBody;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Lets through only requests signed by a service of this cluster ({@link ClusterAuth}): everything a storage node or
 * healer serves over HTTP but its health and its metrics. A request without a valid signature is answered 401
 * {@code unauthenticated} before any controller sees it, so it changes nothing.
 *
 * <p>The signature is checked before the body is read, so that an unproven sender never has a body buffered; a
 * signed request's body is then read whole, at most {@value #MAX_BODY} bytes (internal bodies are small: check
 * batches, listings' absence of one), and must have the SHA-256 the signature covers.
 */
public final class InternalEndpointsFilter extends OncePerRequestFilter {

    static final int MAX_BODY = 64 << 20;

    private final ClusterAuth auth;
    private final AuthRefusals refusals;
    private final JsonMapper json = JsonMapper.builder().build();

    public InternalEndpointsFilter(ClusterAuth auth, AuthRefusals refusals) {
        this.auth = auth;
        this.refusals = refusals;
    }

    /** Open to probes and scrapers: health says up or down, metrics count, and neither reveals data. */
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return ProbeEndpoints.open(request.getRequestURI());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String query = request.getQueryString();
        String target = request.getRequestURI() + (query == null ? "" : "?" + query);
        String what = request.getMethod() + " " + request.getRequestURI();
        String contentSha256 = request.getHeader(ClusterAuth.CONTENT_SHA256);
        try {
            auth.verifyHttp(request.getMethod(), target, request.getHeader(ClusterAuth.DATE), contentSha256,
                    request.getHeader(ClusterAuth.SIGNATURE));
        } catch (ClusterAuth.UnauthenticatedException e) {
            refuse(request, response, what, e);
            return;
        }
        if (request.getContentLengthLong() > MAX_BODY) {
            answer(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "content_too_large",
                    "an internal request's body is at most " + MAX_BODY + " bytes; blobs travel over the blob protocol");
            return;
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(MAX_BODY + 1);
        }
        if (body.length > MAX_BODY) {
            answer(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "content_too_large",
                    "an internal request's body is at most " + MAX_BODY + " bytes; blobs travel over the blob protocol");
            return;
        }
        if (!ClusterAuth.bodyMatches(body, contentSha256)) {
            refuse(request, response, what, new ClusterAuth.UnauthenticatedException(
                    ClusterAuth.Refusal.BAD_SIGNATURE, "the body is not the one the request was signed with"));
            return;
        }
        chain.doFilter(new ReadBody(request, body), response);
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, String what,
                        ClusterAuth.UnauthenticatedException e) throws IOException {
        refusals.refused("http", request.getRemoteAddr(), what, e);
        answer(response, HttpServletResponse.SC_UNAUTHORIZED, "unauthenticated", e.getMessage());
    }

    private void answer(HttpServletResponse response, int status, String code, String detail) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.getOutputStream().write(json.writeValueAsBytes(new ErrorBody(code, detail)));
    }

    /** The request with its body already read (and verified), served again from memory. */
    private static final class ReadBody extends HttpServletRequestWrapper {
        private final byte[] body;

        ReadBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the body is already read");
                }

                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] buffer, int offset, int length) {
                    return in.read(buffer, offset, length);
                }
            };
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }

        @Override
        public int getContentLength() {
            return body.length;
        }
    }
}
