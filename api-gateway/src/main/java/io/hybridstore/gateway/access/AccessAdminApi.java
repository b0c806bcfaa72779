package io.hybridstore.gateway.access;

import io.hybridstore.web.ErrorBody;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Managing access keys, for root keys only (whatever {@code hybridstore.gateway.auth} says):
 * {@code POST /admin/access-keys} creates one and is the only answer that ever shows its secret,
 * {@code GET /admin/access-keys[/{id}]} shows keys and grants, {@code DELETE /admin/access-keys/{id}} revokes one.
 * {@code scripts/hybridstore-admin} is its command line.
 */
@RestController
@RequestMapping("/admin/access-keys")
class AccessAdminApi {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String WHAT = "managing access keys";

    private final AccessKeys keys;

    AccessAdminApi(AccessKeys keys) {
        this.keys = keys;
    }

    /**
     * Body: {@code {"root": true}} or {@code {"grants": [{"bucket": "photos", "access": "read"},
     * {"prefix": "user:", "access": "read-write"}]}}.
     */
    @PostMapping
    ResponseEntity<Object> create(HttpServletRequest request, @RequestBody(required = false) byte[] body) {
        Caller.of(request).requireRoot(WHAT);
        boolean root;
        List<Grant> grants;
        try {
            JsonNode spec = body == null || body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
            if (!spec.isObject()) {
                throw new IllegalArgumentException("the body is a JSON object: {\"root\": true} or {\"grants\": [...]}");
            }
            root = spec.path("root").asBoolean(false);
            grants = grants(spec.path("grants"));
            if (root == !grants.isEmpty()) {
                throw new IllegalArgumentException("a key is either root or holds grants: give \"root\": true or a"
                        + " non-empty \"grants\" list, not both");
            }
        } catch (JacksonException | IllegalArgumentException e) {
            return ResponseEntity.badRequest().body(new ErrorBody("invalid_request", e.getMessage()));
        }
        AccessKeys.Credentials created = keys.create(root, grants);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("access_key", created.key().id());
        answer.put("secret_key", created.secret());
        answer.putAll(describe(created.key()));
        return ResponseEntity.status(HttpStatus.CREATED).body(answer);
    }

    @GetMapping
    Map<String, Object> list(HttpServletRequest request) {
        Caller.of(request).requireRoot(WHAT);
        return Map.of("access_keys", keys.list().stream().map(AccessAdminApi::describe).toList());
    }

    @GetMapping("/{id}")
    ResponseEntity<Object> get(HttpServletRequest request, @PathVariable String id) {
        Caller.of(request).requireRoot(WHAT);
        return keys.find(id).<ResponseEntity<Object>>map(found -> ResponseEntity.ok(describe(found.key())))
                .orElseGet(() -> notFound(id));
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Object> delete(HttpServletRequest request, @PathVariable String id) {
        Caller.of(request).requireRoot(WHAT);
        if (keys.isConfiguredRoot(id)) {
            return ResponseEntity.status(HttpStatus.CONFLICT).body(new ErrorBody("configured_key", "access key " + id
                    + " is the root key of the configuration (hybridstore.s3.access-key); change it there"));
        }
        return keys.delete(id) ? ResponseEntity.noContent().build() : notFound(id);
    }

    private static ResponseEntity<Object> notFound(String id) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(new ErrorBody("not_found", "no access key " + id));
    }

    private static List<Grant> grants(JsonNode list) {
        if (list.isMissingNode() || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw new IllegalArgumentException("\"grants\" is a list");
        }
        List<Grant> grants = new ArrayList<>();
        for (JsonNode grant : list) {
            Access access = Access.of(grant.path("access").asString(null));
            JsonNode bucket = grant.path("bucket");
            JsonNode prefix = grant.path("prefix");
            if (bucket.isString() == prefix.isString()) {
                throw new IllegalArgumentException("a grant names a \"bucket\" or a key \"prefix\" (one of them)");
            }
            if (bucket.isString() && (bucket.asString().isEmpty() || bucket.asString().contains("/"))) {
                throw new IllegalArgumentException("'" + bucket.asString() + "' is not a bucket name");
            }
            grants.add(bucket.isString() ? Grant.bucket(bucket.asString(), access) : new Grant(prefix.asString(), access));
        }
        return grants;
    }

    private static Map<String, Object> describe(AccessKey key) {
        Map<String, Object> described = new LinkedHashMap<>();
        described.put("access_key", key.id());
        described.put("root", key.root());
        described.put("grants", key.grants().stream()
                .map(grant -> Map.of("prefix", grant.prefix(), "access", grant.access().wireName())).toList());
        described.put("created_at", key.createdAt());
        return described;
    }
}
