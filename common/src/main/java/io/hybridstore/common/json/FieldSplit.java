package io.hybridstore.common.json;

import io.hybridstore.common.hash.Checksums;
import io.hybridstore.common.json.JsonFields.Field;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A JSON object split into its hot fields (replicated, cheap to rewrite) and its cold fields (erasure coded),
 * plus the original top-level field order so that {@link #merge} gives the object back as written.
 *
 * <p>The cold part is canonical — its fields sorted by name — so its SHA-256 depends only on the cold fields and
 * their literal values, not on where the client happened to put them: that hash decides whether an overwrite is
 * a pure hot update.
 *
 * @param hot        the hot fields as a compact JSON object in original order, or null when there are none
 * @param cold       the cold fields as a canonical JSON object, or null when there are none
 * @param fieldOrder every top-level field name in the order the client wrote them
 * @param prints     each field's print in that order, or null for an object of more fields than were to be printed
 */
public record FieldSplit(byte[] hot, byte[] cold, List<String> fieldOrder, List<FieldPrint> prints) {

    /** Without prints. */
    public static FieldSplit split(byte[] json, Set<String> hotFields) {
        return split(json, hotFields, 0);
    }

    /** With a print of every field when the object has at most {@code maxPrinted} fields. */
    public static FieldSplit split(byte[] json, Set<String> hotFields, int maxPrinted) {
        List<Field> fields = JsonFields.parse(json);
        List<Field> hot = fields.stream().filter(f -> hotFields.contains(f.name())).toList();
        List<Field> cold = fields.stream().filter(f -> !hotFields.contains(f.name()))
                .sorted(Comparator.comparing(Field::name)).toList();
        List<FieldPrint> prints = fields.size() > maxPrinted ? null
                : fields.stream().map(f -> FieldPrint.of(hotFields.contains(f.name()), f.rawValue())).toList();
        return new FieldSplit(hot.isEmpty() ? null : JsonFields.object(hot),
                cold.isEmpty() ? null : JsonFields.object(cold),
                fields.stream().map(Field::name).toList(), prints);
    }

    /** SHA-256 of the canonical cold part, or null when there is no cold part. */
    public String coldSha256() {
        return cold == null ? null : Checksums.sha256Hex(cold);
    }

    /** The object as written: hot and cold fields interleaved again in the original field order. */
    public static byte[] merge(byte[] hot, byte[] cold, List<String> fieldOrder) {
        Map<String, Field> byName = new LinkedHashMap<>();
        if (hot != null) {
            JsonFields.parse(hot).forEach(f -> byName.put(f.name(), f));
        }
        if (cold != null) {
            JsonFields.parse(cold).forEach(f -> byName.put(f.name(), f));
        }
        List<Field> ordered = fieldOrder.stream().map(name -> {
            Field field = byName.get(name);
            if (field == null) {
                throw new IllegalStateException("field '" + name + "' is in the field order but in neither part");
            }
            return field;
        }).toList();
        return JsonFields.object(ordered);
    }
}
