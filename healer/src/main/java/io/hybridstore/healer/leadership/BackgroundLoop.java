package io.hybridstore.healer.leadership;

import org.springframework.context.SmartLifecycle;

/**
 * A loop on its own virtual thread for the life of the application context: started after the context is ready,
 * interrupted on shutdown. Subclasses check {@link #running()} and the leader gate on every turn.
 */
public abstract class BackgroundLoop implements SmartLifecycle {

    private final String threadName;
    private volatile boolean running;
    private Thread thread;

    protected BackgroundLoop(String threadName) {
        this.threadName = threadName;
    }

    /** Runs until {@link #running()} turns false or the thread is interrupted. */
    protected abstract void loop();

    protected final boolean running() {
        return running;
    }

    @Override
    public final synchronized void start() {
        running = true;
        thread = Thread.ofVirtual().name(threadName).start(this::loop);
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
