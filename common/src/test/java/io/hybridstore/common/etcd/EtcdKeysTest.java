package io.hybridstore.common.etcd;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class EtcdKeysTest {

    private final EtcdKeys keys = new EtcdKeys("/p/");

    @Test
    void aRepairHintNamesItsObjectKeyEvenWithSlashes() {
        String etcdKey = keys.repairHint("a/b c").toString(StandardCharsets.UTF_8);
        assertThat(etcdKey).startsWith(keys.repairHintsPrefix()).isEqualTo("/p/repair/a%2Fb+c");
        assertThat(keys.repairHintObjectKey(etcdKey)).isEqualTo("a/b c");
    }

    @Test
    void fencesLiveUnderTheirOwnPrefix() {
        assertThat(keys.rolledBackVersion("v1").toString(StandardCharsets.UTF_8))
                .isEqualTo(keys.rolledBackPrefix() + "v1").isEqualTo("/p/rolled-back/v1");
    }
}
