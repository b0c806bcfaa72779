package io.hybridstore.gateway.s3;

import io.hybridstore.gateway.read.ByteRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RangesTest {

    @ParameterizedTest
    @CsvSource({
            "bytes=0-9, 100, 0, 9",
            "bytes=90-, 100, 90, 99",
            "bytes=-10, 100, 90, 99",
            "bytes=-500, 100, 0, 99",
            "bytes=50-500, 100, 50, 99",
            "bytes=0-0, 1, 0, 0"})
    void aSingleRangeIsClampedToTheObject(String header, long length, long first, long last) {
        assertThat(Ranges.parse(header, length)).isEqualTo(new ByteRange(first, last));
    }

    @ParameterizedTest
    @CsvSource({"bytes=100-, 100", "bytes=100-200, 100", "bytes=-0, 100", "bytes=0-, 0", "bytes=-5, 0"})
    void aRangeOutsideTheObjectIsUnsatisfiable(String header, long length) {
        assertThatThrownBy(() -> Ranges.parse(header, length)).isInstanceOfSatisfying(S3Exception.class,
                e -> assertThat(e.error()).isEqualTo(S3Error.INVALID_RANGE));
    }

    @ParameterizedTest
    @CsvSource({"'bytes=0-9,20-29'", "bytes=9-0", "items=0-9", "bytes=-", "bytes=99999999999999999999-"})
    void whatS3DoesNotHonourIsAnsweredWithTheWholeObject(String header) {
        assertThat(Ranges.parse(header, 100)).isNull();
    }
}
