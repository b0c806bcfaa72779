package io.hybridstore.cluster;

/** One process of the cluster: the {@code index}-th of its service, named like {@code storage-node-2}. */
public record Instance(Service service, int index) {

    public String name() {
        return service.name() + "-" + index;
    }

    @Override
    public String toString() {
        return name();
    }
}
