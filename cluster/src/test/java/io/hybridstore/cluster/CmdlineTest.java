package io.hybridstore.cluster;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Telling our processes from others by their command line, as {@code /proc/<pid>/cmdline} shows it. */
class CmdlineTest {

    private static byte[] bytes(String cmdline) {
        return cmdline.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void anArgumentMustStandWholeNotAsAPrefix() {
        byte[] etcd = bytes("etcd\0--name\0etcd-10\0--data-dir\0/run/data/etcd-10\0");

        assertThat(Launcher.hasArgument(etcd, "/run/data/etcd-10")).isTrue();
        assertThat(Launcher.hasArgument(etcd, "/run/data/etcd-1")).isFalse();
    }

    @Test
    void anOptionsValueCountsAsTheArgument() {
        byte[] node = bytes("java\0-Dhybridstore.instance=/run/data/storage-node-10\0-jar\0storage-node.jar\0"
                + "--hybridstore.storage-node.data-dir=/run/data/storage-node-10\0");

        assertThat(Launcher.hasArgument(node, "/run/data/storage-node-10")).isTrue();
        assertThat(Launcher.hasArgument(node, "/run/data/storage-node-1")).isFalse();
    }

    @Test
    void nginxIsRecognisedAfterItRetitledItself() {
        byte[] master = bytes("nginx: master process /usr/sbin/nginx -c /run/data/nginx-1/nginx.conf"
                + " -p /run/data/nginx-1 -e /run/logs/nginx-1.log -g daemon off; user root;\0");

        assertThat(Launcher.hasArgument(master, "/run/data/nginx-1")).isTrue();
        assertThat(Launcher.hasArgument(master, "/run/data/nginx-10")).isFalse();
    }
}
