package io.hybridstore.gateway.api;

import io.hybridstore.common.manifest.Manifest;
import io.hybridstore.common.manifest.Strategy;
import io.hybridstore.gateway.GatewayProperties;
import io.hybridstore.gateway.access.Access;
import io.hybridstore.gateway.access.Caller;
import io.hybridstore.gateway.delete.DeleteCoordinator;
import io.hybridstore.gateway.delete.DeleteCoordinator.DeleteOutcome;
import io.hybridstore.gateway.memory.MemoryBudget;
import io.hybridstore.gateway.read.ReadAbortedException;
import io.hybridstore.gateway.read.ReadCoordinator;
import io.hybridstore.gateway.write.MergeRequest;
import io.hybridstore.gateway.write.WriteCoordinator;
import io.hybridstore.gateway.write.WriteOutcome;
import io.hybridstore.gateway.write.WriteRequest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.connector.ClientAbortException;
import org.springframework.http.HttpStatus;
import org.springframework.web.util.UriUtils;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The object calls of the public API ({@code POST /write}, {@code GET /read/{key}}, {@code DELETE /delete/{key}}),
 * answered here, in front of Spring MVC: they are nearly every request a gateway serves, and MVC's dispatch,
 * content negotiation and observation cost more CPU than the rest of a small read. Validation is here, protocols in
 * the write/read/delete packages, errors in {@link ApiErrors}. Who calls is known already ({@link Caller}); each
 * call checks the caller may touch its key. Everything else (status calls, unknown routes) goes on
 * to MVC. Requests are timed into the same {@code http.server.requests} meter MVC uses for the others.
 */
final class ObjectApi implements Filter {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private enum Call {
        WRITE("/write", "POST"), READ("/read/**", "GET"), DELETE("/delete/**", "DELETE");

        final String uri;
        final String method;

        Call(String uri, String method) {
            this.uri = uri;
            this.method = method;
        }

        /** The call a raw request path names; the key of a read or delete is the rest of the path. */
        static Call of(String path) {
            if (path.equals("/write")) {
                return WRITE;
            }
            if (path.equals("/read") || path.startsWith("/read/")) {
                return READ;
            }
            if (path.equals("/delete") || path.startsWith("/delete/")) {
                return DELETE;
            }
            return null;
        }

        boolean allows(String requestMethod) {
            return requestMethod.equals(method) || this == READ && requestMethod.equals("HEAD");
        }
    }

    private record Outcome(String method, Call call, int status, String exception) {
    }

    private final WriteCoordinator writes;
    private final ReadCoordinator reads;
    private final DeleteCoordinator deletes;
    private final MemoryBudget memory;
    private final JsonObjectCheck jsonCheck;
    private final long maxBodySize;
    private final long stripedWriteWorkingSet;
    private final int s3Port;
    private final MeterRegistry meters;
    private final ConcurrentMap<Outcome, Timer> timers = new ConcurrentHashMap<>();

    ObjectApi(WriteCoordinator writes, ReadCoordinator reads, DeleteCoordinator deletes, GatewayProperties properties,
              MemoryBudget memory, int s3Port, MeterRegistry meters) {
        this.writes = writes;
        this.reads = reads;
        this.deletes = deletes;
        this.memory = memory;
        this.maxBodySize = properties.maxBodySize().toBytes();
        this.jsonCheck = new JsonObjectCheck(properties.maxJsonDepth(), maxBodySize);
        this.stripedWriteWorkingSet = properties.ec().stripedWriteWorkingSet();
        this.s3Port = s3Port;
        this.meters = meters;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        Call call = request.getLocalPort() == s3Port ? null : Call.of(request.getRequestURI());
        if (call == null) {
            chain.doFilter(req, res);
            return;
        }
        HttpServletResponse response = (HttpServletResponse) res;
        long started = System.nanoTime();
        String exception = "none";
        try {
            if (!call.allows(request.getMethod())) {
                response.setHeader("Allow", call == Call.READ ? "GET, HEAD" : call.method);
                throw new ApiException(HttpStatus.METHOD_NOT_ALLOWED, "method_not_allowed",
                        "Request method '" + request.getMethod() + "' is not supported; " + call.uri + " takes "
                                + call.method);
            }
            switch (call) {
                case WRITE -> json(response, 200, write(request, started));
                case READ -> read(request, response);
                case DELETE -> json(response, 200, delete(request, started));
            }
        } catch (ReadAbortedException e) {
            // The status and headers went out with the first byte: cut the connection short of the Content-Length
            // so that no client takes a cut-off value for a whole one. Tomcat closes at once, rendering nothing.
            exception = e.getClass().getSimpleName();
            throw new ClientAbortException(e);
        } catch (RuntimeException e) {
            exception = e.getClass().getSimpleName();
            ApiErrors.Answer answer = ApiErrors.of(e);
            if (response.isCommitted()) {
                throw new ClientAbortException(e);
            }
            String allow = response.getHeader("Allow");
            response.reset();
            if (allow != null) {
                response.setHeader("Allow", allow);
            }
            json(response, answer.status().value(), answer.body());
        } finally {
            timers.computeIfAbsent(new Outcome(request.getMethod(), call, response.getStatus(), exception), this::timer)
                    .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }

    private Map<String, Object> write(HttpServletRequest request, long started) throws IOException {
        Map<String, List<String>> parameters = request.getParameterMap().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> Arrays.asList(e.getValue())));
        RequestValidation.onlyKnownParameters(parameters);
        String key = RequestValidation.key(request.getParameter("key"));
        Caller.of(request).require(key, Access.READ_WRITE);
        Strategy strategy = RequestValidation.strategy(request.getParameter("strategy"));
        boolean strategyGiven = request.getParameter("strategy") != null;
        boolean hotOnly = RequestValidation.hotOnly(request.getParameter("hot_only"), strategy);
        boolean merge = RequestValidation.merge(request.getParameter("merge"), hotOnly);
        RequestValidation.jsonContentType(request.getContentType());
        RequestValidation.declaredLength(request.getContentLengthLong(), maxBodySize);

        try (StreamedBody body = new StreamedBody(request.getInputStream(), request.getContentLengthLong(), maxBodySize,
                jsonCheck, memory.reserve(0), stripedWriteWorkingSet, bodyCopies(strategy, merge))) {
            WriteOutcome outcome = merge
                    ? writes.merge(new MergeRequest(key, strategyGiven ? Optional.of(strategy) : Optional.empty(), body))
                    : writes.write(new WriteRequest(key, strategy, hotOnly, body));
            Map<String, Object> answer = ok(outcome.manifest(), started);
            answer.putAll(outcome.details());
            return answer;
        }
    }

    /**
     * Streams the value. The status and headers go out with the first byte; a failure after that cannot become an
     * error answer (see {@link ReadAbortedException} above).
     */
    private void read(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String key = keyFromPath(request, "/read/");
        Caller.of(request).require(key, Access.READ);
        String fields = request.getParameter("fields");
        if (fields != null) {
            ReadCoordinator.Projection projection = reads.project(key, RequestValidation.fields(fields));
            headers(response, projection.manifest());
            response.setHeader("X-HybridStore-Parts", projection.parts());
            response.setContentLength(projection.json().length);
            response.getOutputStream().write(projection.json());
            return;
        }
        reads.read(key, (manifest, length) -> {
            headers(response, manifest);
            response.setContentLengthLong(length);
            return response.getOutputStream();
        });
    }

    private static void headers(HttpServletResponse response, Manifest manifest) {
        response.setStatus(HttpStatus.OK.value());
        response.setContentType("application/json");
        response.setHeader("X-HybridStore-Version", manifest.version());
        response.setHeader("X-HybridStore-Strategy", manifest.strategy().wireName());
    }

    private Map<String, Object> delete(HttpServletRequest request, long started) {
        String key = keyFromPath(request, "/delete/");
        Caller.of(request).require(key, Access.READ_WRITE);
        DeleteOutcome outcome = deletes.delete(key,
                RequestValidation.requestId(request.getHeader(RequestValidation.REQUEST_ID_HEADER)));
        Map<String, Object> answer = ok(outcome.key(), outcome.strategy(), outcome.version(), started);
        answer.put("blobs_deleted", outcome.blobsDeleted());
        answer.put("blobs_left_for_healer", outcome.blobsLeft());
        if (outcome.repeated()) {
            answer.put("repeated", true);
        }
        return answer;
    }

    /**
     * The body-sized arrays a write holds: a replicated value is sent as is; a field_hybrid write also holds its
     * hot and cold parts, and a merge the stored value and the merged one.
     */
    private static int bodyCopies(Strategy strategy, boolean merge) {
        return merge || strategy == Strategy.FIELD_HYBRID ? 3 : 1;
    }

    /** Keys may contain '/', so the key is the whole rest of the path, percent-decoded as a path (not a form). */
    private static String keyFromPath(HttpServletRequest request, String prefix) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String raw = path.startsWith(prefix) ? path.substring(prefix.length()) : "";
        try {
            return RequestValidation.key(UriUtils.decode(raw, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_key",
                    "the key in the path is not valid percent-encoded UTF-8");
        }
    }

    private static Map<String, Object> ok(Manifest manifest, long startedNanos) {
        return ok(manifest.key(), manifest.strategy(), manifest.version(), startedNanos);
    }

    private static Map<String, Object> ok(String key, Strategy strategy, String version, long startedNanos) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("status", "ok");
        answer.put("key", key);
        answer.put("strategy", strategy.wireName());
        answer.put("version", version);
        answer.put("latency_ms", (System.nanoTime() - startedNanos) / 1_000_000.0);
        return answer;
    }

    private static void json(HttpServletResponse response, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /** The tags MVC's observation gives {@code http.server.requests}: one meter family for every call. */
    private Timer timer(Outcome outcome) {
        int series = outcome.status / 100;
        String result = switch (series) {
            case 1 -> "INFORMATIONAL";
            case 2 -> "SUCCESS";
            case 3 -> "REDIRECTION";
            case 4 -> "CLIENT_ERROR";
            case 5 -> "SERVER_ERROR";
            default -> "UNKNOWN";
        };
        return Timer.builder("http.server.requests")
                .tag("error", outcome.exception)
                .tag("exception", outcome.exception)
                .tag("method", outcome.method)
                .tag("outcome", result)
                .tag("status", Integer.toString(outcome.status))
                .tag("uri", outcome.call.uri)
                .register(meters);
    }
}
