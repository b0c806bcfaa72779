package io.hybridstore.gateway.read;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The fields a projection asks for, as both APIs take them: top-level names separated by commas. */
public final class FieldList {

    /** The most field names one projection may ask for. */
    public static final int MAX_FIELDS = 1000;

    private FieldList() {
    }

    /**
     * At least one name, none empty, at most {@value #MAX_FIELDS}; a name holding a comma cannot be asked for.
     *
     * @throws IllegalArgumentException saying what is wrong with {@code list}
     */
    public static Set<String> parse(String list) {
        List<String> names = Arrays.asList(list.split(",", -1));
        if (names.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("the fields are a comma-separated list of top-level field names, none"
                    + " of them empty");
        }
        if (names.size() > MAX_FIELDS) {
            throw new IllegalArgumentException("a projection names at most " + MAX_FIELDS + " fields, not "
                    + names.size());
        }
        return new LinkedHashSet<>(names);
    }
}
