package io.hybridstore.gateway.access;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AccessKeyTest {

    private final AccessKey photos = new AccessKey("HSPHOTOS", false,
            List.of(Grant.bucket("photos", Access.READ), new Grant("user:", Access.READ_WRITE)), 0);

    @Test
    void aBucketGrantCoversItsObjectsAndNotABucketWhoseNameStartsTheSame() {
        assertThat(photos.allows("photos/2026/cat.jpg", Access.READ)).isTrue();
        assertThat(photos.allows("photos/", Access.READ)).isTrue();
        assertThat(photos.allows("photos-private/cat.jpg", Access.READ)).isFalse();
        assertThat(photos.allows("photos/cat.jpg", Access.READ_WRITE)).isFalse();
    }

    @Test
    void aReadWritePrefixGrantAllowsBothAndNothingOutsideIt() {
        assertThat(photos.allows("user:42", Access.READ_WRITE)).isTrue();
        assertThat(photos.allows("user:42", Access.READ)).isTrue();
        assertThat(photos.allows("users:42", Access.READ)).isFalse();
        assertThat(photos.allows("order:1", Access.READ)).isFalse();
    }

    @Test
    void bucketsAreReachedByGrantsOnThemOrOnPartsOfThem() {
        AccessKey reports = new AccessKey("HSREPORTS", false, List.of(new Grant("logs/2026/", Access.READ)), 0);
        assertThat(reports.reaches("logs")).isTrue();
        assertThat(reports.reaches("logs-old")).isFalse();
        assertThat(photos.reaches("photos")).isTrue();
        assertThat(new AccessKey("HSALL", false, List.of(new Grant("", Access.READ)), 0).reaches("any")).isTrue();
    }

    @Test
    void rootAllowsEverythingAndANonRootKeyNeedsAGrant() {
        AccessKey root = new AccessKey("HSROOT", true, List.of(), 0);
        assertThat(root.allows("anything", Access.READ_WRITE)).isTrue();
        assertThatThrownBy(() -> new AccessKey("HSNONE", false, List.of(), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anonymousCallersAreLimitedByNothingButCannotAdminister() {
        assertThat(Caller.ANONYMOUS.reaches("photos")).isTrue();
        Caller.ANONYMOUS.require("photos/cat.jpg", Access.READ_WRITE);
        assertThatThrownBy(() -> Caller.ANONYMOUS.requireRoot("managing keys"))
                .isInstanceOf(UnauthenticatedException.class);
        assertThatThrownBy(() -> new Caller(photos).require("photos/cat.jpg", Access.READ_WRITE))
                .isInstanceOf(AccessDeniedException.class).hasMessageContaining("HSPHOTOS");
        assertThatThrownBy(() -> new Caller(photos).requireRoot("managing keys"))
                .isInstanceOf(AccessDeniedException.class);
        new Caller(photos).requireReach("photos");
        assertThatThrownBy(() -> new Caller(photos).requireReach("videos")).isInstanceOf(AccessDeniedException.class);
    }

    @Test
    void accessIsReadOrReadWrite() {
        assertThat(Access.of("read")).isEqualTo(Access.READ);
        assertThat(Access.of("RW")).isEqualTo(Access.READ_WRITE);
        assertThat(Access.of("read-write")).isEqualTo(Access.READ_WRITE);
        assertThatThrownBy(() -> Access.of("write")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Access.of(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
