package io.hybridstore.common.metadata;

import io.etcd.jetcd.KV;
import io.etcd.jetcd.Txn;
import io.etcd.jetcd.common.exception.EtcdExceptionFactory;
import io.grpc.Status;
import io.hybridstore.common.etcd.EtcdKeys;
import io.hybridstore.common.manifest.Manifest;
import io.hybridstore.common.manifest.Strategy;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ManifestStoreRefusalTest {

    private static final Manifest MANIFEST = new Manifest("k", "v1", Strategy.REPLICATION, "application/json", 2,
            "00", 0, null, null, null);

    /** A KV whose every transaction fails as {@code failure}. */
    private static KV kvFailingWith(Throwable failure) {
        Txn txn = (Txn) Proxy.newProxyInstance(Txn.class.getClassLoader(), new Class<?>[]{Txn.class},
                (proxy, method, args) -> method.getName().equals("commit")
                        ? CompletableFuture.failedFuture(failure) : proxy);
        return (KV) Proxy.newProxyInstance(KV.class.getClassLoader(), new Class<?>[]{KV.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("txn")) {
                        return txn;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void aRequestEtcdRefusesAsTooLargeIsARefusalNotAnUnknownOutcome() {
        ManifestStore store = new ManifestStore(kvFailingWith(EtcdExceptionFactory.toEtcdException(
                Status.INVALID_ARGUMENT.withDescription("etcdserver: request is too large"))),
                new EtcdKeys(null), Duration.ofSeconds(1));
        assertThatThrownBy(() -> store.putIf(MANIFEST, 0))
                .isInstanceOf(MetadataRefusedException.class)
                .hasMessageContaining("request is too large");
        assertThatThrownBy(() -> store.deleteIf("k", 7)).isInstanceOf(MetadataRefusedException.class);
    }

    @Test
    void anUnreachableEtcdStaysAnUnknownOutcome() {
        ManifestStore store = new ManifestStore(kvFailingWith(EtcdExceptionFactory.toEtcdException(
                Status.UNAVAILABLE.withDescription("connection refused"))), new EtcdKeys(null), Duration.ofSeconds(1));
        assertThatThrownBy(() -> store.putIf(MANIFEST, 0)).isInstanceOf(MetadataUnavailableException.class);
    }
}
