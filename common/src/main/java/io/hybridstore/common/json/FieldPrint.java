package io.hybridstore.common.json;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.HexFormat;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * What a field_hybrid manifest keeps of each top-level field: which part holds it, its value's size and a 64-bit
 * hash of its literal value (CRC32C and CRC32, both computed by the CPU's own instructions). Comparing a new value's
 * print with the stored one says whether the field changed without reading the stored value; the part says where
 * the stored value lives, so a write can keep every field in exactly one part.
 *
 * <p>In a manifest a print is one short string, {@code h<size>:<hash hex>} or {@code c<size>:<hash hex>}.
 */
public record FieldPrint(boolean hot, long size, long hash) {

    private static final HexFormat HEX = HexFormat.of();

    public static FieldPrint of(boolean hot, byte[] rawValue) {
        CRC32C crc32c = new CRC32C();
        crc32c.update(rawValue);
        CRC32 crc32 = new CRC32();
        crc32.update(rawValue);
        return new FieldPrint(hot, rawValue.length, crc32c.getValue() << 32 | crc32.getValue());
    }

    /** Whether the value is (almost certainly) the same: the part it lives in does not count. */
    public boolean sameValue(FieldPrint other) {
        return size == other.size && hash == other.hash;
    }

    @JsonValue
    public String encode() {
        return (hot ? "h" : "c") + size + ":" + HEX.toHexDigits(hash);
    }

    /** @throws IllegalArgumentException when {@code encoded} is not what {@link #encode} writes */
    @JsonCreator
    public static FieldPrint parse(String encoded) {
        int colon = encoded.indexOf(':');
        if (encoded.length() < 4 || colon < 2 || encoded.charAt(0) != 'h' && encoded.charAt(0) != 'c') {
            throw new IllegalArgumentException("not a field print: '" + encoded + "'");
        }
        return new FieldPrint(encoded.charAt(0) == 'h', Long.parseLong(encoded, 1, colon, 10),
                HEX.fromHexDigitsToLong(encoded, colon + 1, encoded.length()));
    }
}
