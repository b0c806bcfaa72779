package io.hybridstore.gateway.api;

import io.hybridstore.common.manifest.Manifest;
import io.hybridstore.common.manifest.Strategy;
import io.hybridstore.gateway.GatewayProperties;
import io.hybridstore.gateway.delete.DeleteCoordinator;
import io.hybridstore.gateway.delete.DeleteCoordinator.DeleteOutcome;
import io.hybridstore.gateway.read.ReadCoordinator;
import io.hybridstore.gateway.memory.MemoryBudget;
import io.hybridstore.gateway.read.ReadAbortedException;
import io.hybridstore.gateway.write.MergeRequest;
import io.hybridstore.gateway.write.WriteCoordinator;
import io.hybridstore.gateway.write.WriteOutcome;
import io.hybridstore.gateway.write.WriteRequest;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.connector.ClientAbortException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriUtils;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** The object calls of the public API; validation here, protocols in the write/read/delete packages. */
@RestController
class ObjectController {

    private final WriteCoordinator writes;
    private final ReadCoordinator reads;
    private final DeleteCoordinator deletes;
    private final GatewayProperties properties;
    private final JsonObjectCheck jsonCheck;
    private final MemoryBudget memory;
    private final long stripedWriteWorkingSet;

    ObjectController(WriteCoordinator writes, ReadCoordinator reads, DeleteCoordinator deletes,
                     GatewayProperties properties, MemoryBudget memory) {
        this.memory = memory;
        this.stripedWriteWorkingSet = properties.ec().stripedWriteWorkingSet();
        this.writes = writes;
        this.reads = reads;
        this.deletes = deletes;
        this.properties = properties;
        this.jsonCheck = new JsonObjectCheck(properties.maxJsonDepth(), properties.maxBodySize().toBytes());
    }

    @PostMapping("/write")
    Map<String, Object> write(HttpServletRequest request) throws IOException {
        long started = System.nanoTime();
        Map<String, List<String>> parameters = request.getParameterMap().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> Arrays.asList(e.getValue())));
        RequestValidation.onlyKnownParameters(parameters);
        String key = RequestValidation.key(request.getParameter("key"));
        Strategy strategy = RequestValidation.strategy(request.getParameter("strategy"));
        boolean strategyGiven = request.getParameter("strategy") != null;
        boolean hotOnly = RequestValidation.hotOnly(request.getParameter("hot_only"), strategy);
        boolean merge = RequestValidation.merge(request.getParameter("merge"), hotOnly);
        RequestValidation.jsonContentType(request.getContentType());
        long limit = properties.maxBodySize().toBytes();
        RequestValidation.declaredLength(request.getContentLengthLong(), limit);

        try (StreamedBody body = new StreamedBody(request.getInputStream(), request.getContentLengthLong(), limit,
                jsonCheck, memory.reserve(0), stripedWriteWorkingSet, bodyCopies(strategy, merge))) {
            WriteOutcome outcome = merge
                    ? writes.merge(new MergeRequest(key, strategyGiven ? Optional.of(strategy) : Optional.empty(), body))
                    : writes.write(new WriteRequest(key, strategy, hotOnly, body));
            Map<String, Object> response = ok(outcome.manifest(), started);
            response.putAll(outcome.details());
            return response;
        }
    }

    /**
     * Streams the value. The status and headers go out with the first byte; a failure after that cannot become an
     * error answer, so the connection is closed instead, short of the Content-Length: a client never takes a cut-off
     * value for a whole one. Tomcat closes the connection at once for a {@link ClientAbortException} on a committed
     * response, without rendering an error page into the rest of the body.
     */
    @GetMapping("/read/**")
    void read(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String key = keyFromPath(request, "/read/");
        try {
            reads.read(key, (manifest, length) -> {
                response.setStatus(HttpStatus.OK.value());
                response.setContentType(MediaType.APPLICATION_JSON_VALUE);
                response.setHeader("X-HybridStore-Version", manifest.version());
                response.setHeader("X-HybridStore-Strategy", manifest.strategy().wireName());
                response.setContentLengthLong(length);
                return response.getOutputStream();
            });
        } catch (ReadAbortedException e) {
            throw new ClientAbortException(e);
        }
    }

    @DeleteMapping("/delete/**")
    Map<String, Object> delete(HttpServletRequest request) {
        long started = System.nanoTime();
        DeleteOutcome outcome = deletes.delete(keyFromPath(request, "/delete/"),
                RequestValidation.requestId(request.getHeader(RequestValidation.REQUEST_ID_HEADER)));
        Map<String, Object> response = ok(outcome.key(), outcome.strategy(), outcome.version(), started);
        response.put("blobs_deleted", outcome.blobsDeleted());
        response.put("blobs_left_for_healer", outcome.blobsLeft());
        if (outcome.repeated()) {
            response.put("repeated", true);
        }
        return response;
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
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("status", "ok");
        response.put("key", key);
        response.put("strategy", strategy.wireName());
        response.put("version", version);
        response.put("latency_ms", (System.nanoTime() - startedNanos) / 1_000_000.0);
        return response;
    }
}
