package io.hybridstore.gateway.read;

/** No committed version of the key exists. */
public final class ObjectNotFoundException extends RuntimeException {

    public ObjectNotFoundException(String key) {
        super("no object with key '" + key + "'");
    }
}
