package io.hybridstore.gateway.write;

/**
 * The write stalled past the healer's zombie timeout and the healer rolled it back; its version can never be
 * committed. Nothing changed; the client may retry.
 */
public final class WriteRolledBackException extends RuntimeException {

    public WriteRolledBackException(String key, String version) {
        super("the write of '" + key + "' (version " + version + ") took longer than the healer's zombie timeout "
                + "and was rolled back; nothing changed, retry the write");
    }
}
