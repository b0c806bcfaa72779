package io.hybridstore.healer.leadership;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * A loop on its own virtual thread for the life of the application context: started after the context is ready,
 * interrupted on shutdown. Subclasses check {@link #running()} and the leader gate on every turn. A loop that ends
 * with an exception while it should run gives up leadership for good: a leader without its repair, scrub or rollback
 * loop would otherwise keep the lease and do nothing, and every standby would wait behind it.
 */
public abstract class BackgroundLoop implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(BackgroundLoop.class);

    private final String threadName;
    private final Abdication abdication;
    private volatile boolean running;
    private Thread thread;

    protected BackgroundLoop(String threadName, Abdication abdication) {
        this.threadName = threadName;
        this.abdication = abdication;
    }

    /** Runs until {@link #running()} turns false or the thread is interrupted. */
    protected abstract void loop();

    protected final boolean running() {
        return running;
    }

    @Override
    public final synchronized void start() {
        running = true;
        thread = Thread.ofVirtual().name(threadName).start(this::runLoop);
    }

    private void runLoop() {
        try {
            loop();
        } catch (RuntimeException | Error e) {
            if (running) {
                log.error("{} died; giving up leadership", threadName, e);
                abdication.abdicate(threadName + " died: " + e);
            }
        }
    }

    @Override
    public final synchronized void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public final boolean isRunning() {
        return running;
    }
}
