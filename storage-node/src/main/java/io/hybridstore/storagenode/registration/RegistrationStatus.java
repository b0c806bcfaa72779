package io.hybridstore.storagenode.registration;

/** Whether this node is currently registered in etcd under a live lease, which it needs to accept writes. */
public interface RegistrationStatus {

    boolean registered();

    /** Why not, for the error body and the logs. */
    String describe();
}
