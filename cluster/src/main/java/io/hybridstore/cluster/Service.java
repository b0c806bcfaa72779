package io.hybridstore.cluster;

import java.util.List;

/**
 * One kind of process in the topology, as {@code topology.properties} describes it and the environment adjusts it.
 *
 * @param module     the Maven module whose jar runs it, or null for etcd and nginx
 * @param secondPort how far above an instance's port its peer or controller port lies, or 0 for none
 * @param fronts     the service this one proxies (nginx fronts the gateways), or null
 */
public record Service(String name, int count, int port, int portStep, int secondPort, String module, String heap,
                      List<String> javaOpts, String fronts) {

    public boolean isJava() {
        return module != null;
    }

    /** The instance's port before the run's offset. */
    public int basePort(int index) {
        return port + portStep * (index - 1);
    }

    /** HS_HEAP_STORAGE_NODE for storage-node. */
    String heapVariable() {
        return "HS_HEAP_" + name.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    }
}
