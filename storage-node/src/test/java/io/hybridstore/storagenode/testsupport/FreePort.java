package io.hybridstore.storagenode.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

public final class FreePort {

    private FreePort() {
    }

    /** A port that was free a moment ago; good enough for tests on one machine. */
    public static int find() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
