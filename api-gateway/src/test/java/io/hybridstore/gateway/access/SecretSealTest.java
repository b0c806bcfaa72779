package io.hybridstore.gateway.access;

import io.hybridstore.common.auth.ClusterAuth;
import io.hybridstore.common.auth.ClusterSecrets;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class SecretSealTest {

    private static SecretSeal seal(String... clusterSecrets) {
        return new SecretSeal(new ClusterAuth(ClusterSecrets.of(clusterSecrets), Duration.ofMinutes(5),
                Clock.systemUTC()));
    }

    @Test
    void aSealedSecretOpensUnderItsKeyIdAndShowsNothingOfTheSecret() {
        SecretSeal seal = seal("cluster-secret-number-one");
        String sealed = seal.seal("HSKEY", "the-secret-key-of-hskey");
        assertThat(sealed).doesNotContain("the-secret");
        assertThat(seal.open("HSKEY", sealed)).contains(new SecretSeal.Opened("the-secret-key-of-hskey", true));
        assertThat(seal.seal("HSKEY", "the-secret-key-of-hskey")).as("a fresh nonce each time").isNotEqualTo(sealed);
    }

    @Test
    void itDoesNotOpenUnderAnotherKeyIdAnotherClusterOrDamaged() {
        String sealed = seal("cluster-secret-number-one").seal("HSKEY", "the-secret-key-of-hskey");
        assertThat(seal("cluster-secret-number-one").open("HSOTHER", sealed)).isEmpty();
        assertThat(seal("another-cluster-secret").open("HSKEY", sealed)).isEmpty();
        char[] damaged = sealed.toCharArray();
        damaged[20] = damaged[20] == 'A' ? 'B' : 'A';
        assertThat(seal("cluster-secret-number-one").open("HSKEY", new String(damaged))).isEmpty();
        assertThat(seal("cluster-secret-number-one").open("HSKEY", "not base64!")).isEmpty();
    }

    @Test
    void duringARotationTheOldSecretStillOpensAndSaysItIsNotCurrent() {
        String sealed = seal("cluster-secret-number-one").seal("HSKEY", "the-secret-key-of-hskey");
        assertThat(seal("cluster-secret-number-two", "cluster-secret-number-one").open("HSKEY", sealed))
                .contains(new SecretSeal.Opened("the-secret-key-of-hskey", false));
        assertThat(seal("cluster-secret-number-two").open("HSKEY", sealed)).isEmpty();
    }
}
