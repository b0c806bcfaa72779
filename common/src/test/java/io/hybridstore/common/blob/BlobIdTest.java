package io.hybridstore.common.blob;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BlobIdTest {

    @ParameterizedTest
    @ValueSource(strings = {"v0192-0001-abcdef.data.0", "a", "A_b-c.d", "0.cold.5"})
    void acceptsNamesFromTheClosedAlphabet(String id) {
        assertThat(new BlobId(id).value()).isEqualTo(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "../etc/passwd", "a/b", "a\\b", ".hidden", "a b", "a\u0000b", "é"})
    void refusesAnythingThatCouldNameAnotherPath(String id) {
        assertThatThrownBy(() -> new BlobId(id)).isInstanceOf(InvalidBlobIdException.class);
        assertThat(BlobId.isValid(id)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(ints = {BlobId.MAX_LENGTH + 1, 10_000})
    void refusesOverlongIds(int length) {
        assertThatThrownBy(() -> new BlobId("a".repeat(length))).isInstanceOf(InvalidBlobIdException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"data", "hot", "cold"})
    void idsOfAVersionPartAndIndexAreValid(String part) {
        assertThat(BlobId.of("v00000000abcd-0001-0011223344556677", part, 3).value())
                .isEqualTo("v00000000abcd-0001-0011223344556677." + part + ".3");
    }
}
