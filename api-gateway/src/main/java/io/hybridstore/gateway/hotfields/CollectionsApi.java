package io.hybridstore.gateway.hotfields;

import io.hybridstore.gateway.access.Caller;
import io.hybridstore.web.ErrorBody;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A collection's hot fields: {@code GET /collections/{name}/hot_fields} shows the learned set (each field's change
 * ratio, mean size and since when), the configured and pinned ones and the counts so far;
 * {@code PUT /collections/{name}/hot_fields} with {@code {"pin": [...], "never_hot": [...]}} sets the overrides
 * (root keys only).
 */
@RestController
class CollectionsApi {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HotFieldLearner learner;

    CollectionsApi(HotFieldLearner learner) {
        this.learner = learner;
    }

    @GetMapping("/collections/{name}/hot_fields")
    Map<String, Object> hotFields(@PathVariable String name) {
        return describe(learner.view(name));
    }

    @PutMapping("/collections/{name}/hot_fields")
    ResponseEntity<Object> override(HttpServletRequest request, @PathVariable String name,
                                    @RequestBody(required = false) byte[] body) {
        Caller.of(request).requireRoot("overriding hot fields");
        List<String> pin;
        List<String> neverHot;
        try {
            JsonNode spec = body == null || body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
            pin = names(spec, "pin");
            neverHot = names(spec, "never_hot");
        } catch (JacksonException | IllegalArgumentException e) {
            return ResponseEntity.badRequest().body(new ErrorBody("invalid_request", e.getMessage()));
        }
        return ResponseEntity.ok(describe(learner.override(name, pin, neverHot)));
    }

    private static List<String> names(JsonNode spec, String property) {
        JsonNode list = spec.path(property);
        if (list.isMissingNode() || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw new IllegalArgumentException("\"" + property + "\" is a list of field names");
        }
        List<String> names = new ArrayList<>();
        for (JsonNode name : list) {
            if (!name.isString() || name.asString().isEmpty()) {
                throw new IllegalArgumentException("\"" + property + "\" holds field names, not " + name);
            }
            names.add(name.asString());
        }
        return names;
    }

    private static Map<String, Object> describe(HotFieldLearner.View view) {
        CollectionState state = view.state();
        Map<String, Object> learned = new LinkedHashMap<>();
        state.learned().forEach((field, l) -> learned.put(field, Map.of("change_ratio", l.ratio(),
                "mean_size", l.meanSize(), "since", Instant.ofEpochMilli(l.since()).toString(),
                "quiet_windows", l.quietWindows())));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("collection", view.collection());
        answer.put("hot_fields", state.hotSet(view.configured()).stream().sorted().toList());
        answer.put("learned", learned);
        answer.put("configured", view.configured().stream().sorted().toList());
        answer.put("pinned", state.pin());
        answer.put("never_hot", state.neverHot());
        answer.put("windows_decided", state.windows());
        answer.put("overwrites_counted", view.totals().overwrites());
        answer.put("overwrites_in_window", view.totals().minus(state.decidedAt()).overwrites());
        return answer;
    }
}
