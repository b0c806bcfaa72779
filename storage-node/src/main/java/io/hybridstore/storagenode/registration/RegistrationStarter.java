package io.hybridstore.storagenode.registration;

import io.hybridstore.common.node.NodeInfo;
import io.hybridstore.storagenode.api.BlobWireEndpoint;
import io.hybridstore.storagenode.config.StorageNodeProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.json.JsonMapper;

import java.util.Locale;

/**
 * Starts registration once the web server is up: only then is the port known when {@code server.port=0}, and a
 * node must not be advertised before it can answer.
 */
final class RegistrationStarter {

    private static final Logger log = LoggerFactory.getLogger(RegistrationStarter.class);

    private final StorageNodeProperties node;
    private final JsonMapper json;
    private final ObjectProvider<EtcdRegistration> etcd;
    private final BlobWireEndpoint wire;

    RegistrationStarter(StorageNodeProperties node, JsonMapper json, ObjectProvider<EtcdRegistration> etcd,
                        BlobWireEndpoint wire) {
        this.node = node;
        this.wire = wire;
        this.json = json;
        this.etcd = etcd;
    }

    @EventListener
    public void onWebServerInitialized(WebServerInitializedEvent event) {
        int port = event.getWebServer().getPort();
        UriComponentsBuilder url = UriComponentsBuilder.fromUriString(node.advertisedUrl());
        if (url.build().getPort() == 0) {
            url.port(port);
        }
        NodeInfo info = new NodeInfo(node.nodeId(), url.build().toUriString(), url.build().getHost() + ":" + wire.port());
        log.info("Storage node {} listening on port {} (advertised {}), blobs on {}, data dir {}, durability {},"
                        + " queue {} blobs / {}, {} I/O workers, registration {}", node.nodeId(), port, info.url(),
                info.wire(),
                node.dataDir().toAbsolutePath().normalize(), node.durability().name().toLowerCase(Locale.ROOT),
                node.queueCapacity(),
                node.queueMaxBytes(), node.ioWorkers(), node.registration().enabled() ? "etcd" : "disabled (standalone)");
        etcd.ifAvailable(registration -> registration.start(info, json.writeValueAsBytes(info)));
    }
}
