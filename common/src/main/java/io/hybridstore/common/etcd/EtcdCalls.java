package io.hybridstore.common.etcd;

import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdException;
import io.hybridstore.common.metadata.MetadataRefusedException;
import io.hybridstore.common.metadata.MetadataUnavailableException;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waiting for jetcd's futures: every etcd call is bounded, and every way it can fail is one exception type. */
public final class EtcdCalls {

    private EtcdCalls() {
    }

    /**
     * The answer of {@code call}, waited for at most {@code timeout}. A failure, a timeout or an interrupt (the flag
     * is restored) becomes a {@link MetadataUnavailableException} naming {@code what} was asked; a timed-out call is
     * cancelled, so it does not hold its connection slot. etcd refusing the request itself ({@code INVALID_ARGUMENT}:
     * too large, too many operations) is a definite answer that nothing changed: {@link MetadataRefusedException}.
     */
    public static <T> T await(CompletableFuture<T> call, Duration timeout, String what) {
        try {
            return call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MetadataUnavailableException("interrupted while " + what, e);
        } catch (ExecutionException e) {
            if (refused(e.getCause())) {
                throw new MetadataRefusedException("etcd refused " + what + ": " + e.getCause().getMessage(), e.getCause());
            }
            throw new MetadataUnavailableException("etcd failed " + what + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new MetadataUnavailableException("etcd did not answer within " + timeout + " " + what, e);
        }
    }

    /** A definite answer about the request itself; every other failure (unreachable, timed out) may hide a commit. */
    private static boolean refused(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof EtcdException etcd && etcd.getErrorCode() == ErrorCode.INVALID_ARGUMENT) {
                return true;
            }
        }
        return false;
    }
}
