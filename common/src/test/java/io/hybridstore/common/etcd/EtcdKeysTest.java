package io.hybridstore.common.etcd;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;

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
    void manifestsSortInTheByteOrderOfTheirKeys() {
        List<String> keys = List.of("b/a b", "b/a!", "b/a%", "b/a+", "b/a/", "b/a~", "b/\u00e9", "b/\u4e2d", "b/\ud83d\ude00");
        List<String> etcdOrder = keys.stream().map(this.keys::object)
                .sorted(Comparator.comparing(k -> k.toString(StandardCharsets.ISO_8859_1)))
                .map(this.keys::objectKey).toList();
        List<String> utf8Order = keys.stream()
                .sorted(Comparator.comparing(k -> new String(k.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1)))
                .toList();
        assertThat(etcdOrder).isEqualTo(utf8Order);
        assertThat(this.keys.object("b/x/y").toString(StandardCharsets.UTF_8)).isEqualTo("/p/objects/b/x/y");
    }

    @Test
    void fencesLiveUnderTheirOwnPrefix() {
        assertThat(keys.rolledBackVersion("v1").toString(StandardCharsets.UTF_8))
                .isEqualTo(keys.rolledBackPrefix() + "v1").isEqualTo("/p/rolled-back/v1");
    }
}
