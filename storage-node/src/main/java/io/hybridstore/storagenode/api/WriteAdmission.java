package io.hybridstore.storagenode.api;

import io.hybridstore.storagenode.registration.RegistrationStatus;
import io.hybridstore.storagenode.store.BlobStore;
import io.hybridstore.storagenode.store.NotAcceptingWritesException;
import org.springframework.stereotype.Component;

import java.util.Optional;

/**
 * Whether this node may take writes: its disk must be healthy and it must be registered in etcd. A node the
 * gateway cannot see (lease lost) would collect blobs no manifest will ever reference.
 */
@Component
class WriteAdmission {

    private final BlobStore store;
    private final RegistrationStatus registration;

    WriteAdmission(BlobStore store, RegistrationStatus registration) {
        this.store = store;
        this.registration = registration;
    }

    Optional<String> refusal() {
        if (!store.diskHealthy()) {
            return Optional.of("the data directory failed an I/O operation; writes are refused until a restart");
        }
        if (!registration.registered()) {
            return Optional.of(registration.describe());
        }
        return Optional.empty();
    }

    void requireAcceptingWrites() {
        refusal().ifPresent(reason -> {
            throw new NotAcceptingWritesException(reason);
        });
    }
}
