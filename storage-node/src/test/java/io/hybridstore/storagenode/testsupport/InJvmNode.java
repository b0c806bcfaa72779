package io.hybridstore.storagenode.testsupport;

import io.hybridstore.common.node.NodeInfo;
import io.hybridstore.storagenode.StorageNodeApplication;
import io.hybridstore.storagenode.api.BlobWireEndpoint;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A storage node running inside the test JVM on a random port. */
public final class InJvmNode implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final NodeInfo node;

    private InJvmNode(ConfigurableApplicationContext context, NodeInfo node) {
        this.context = context;
        this.node = node;
    }

    /** Starts a node on {@code dataDir}; {@code properties} are extra "key=value" settings. */
    public static InJvmNode start(String nodeId, Path dataDir, String... properties) {
        List<String> all = new ArrayList<>(List.of(
                "server.port=0",
                "hybridstore.storage-node.wire.port=0",
                "spring.main.banner-mode=off",
                "hybridstore.storage-node.node-id=" + nodeId,
                "hybridstore.storage-node.data-dir=" + dataDir));
        all.addAll(List.of(properties));
        // As command-line arguments: they must override application.yaml, which default properties would not.
        String[] args = all.stream().map(p -> "--" + p).toArray(String[]::new);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(StorageNodeApplication.class).run(args);
        int port = Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
        int wirePort = context.getBean(BlobWireEndpoint.class).port();
        return new InJvmNode(context, new NodeInfo(nodeId, "http://127.0.0.1:" + port, "127.0.0.1:" + wirePort));
    }

    public NodeInfo node() {
        return node;
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
