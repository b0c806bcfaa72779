package io.hybridstore.web.auth;

import org.slf4j.Logger;
import org.slf4j.event.Level;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * At most one line a second, with how many went unlogged since: for what any stranger can cause as often as they
 * like (refused requests), so that a flood of them cannot flood the log.
 */
public final class ThrottledLog {

    private static final long EVERY_NANOS = 1_000_000_000L;

    private final Logger log;
    private final Level level;
    private final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - EVERY_NANOS);
    private final AtomicLong unlogged = new AtomicLong();

    public ThrottledLog(Logger log, Level level) {
        this.log = log;
        this.level = level;
    }

    /** Logs {@code line} unless a line went out less than a second ago; {@code line} is built only when logged. */
    public void log(Supplier<String> line) {
        long now = System.nanoTime();
        long last = lastLogged.get();
        if (now - last < EVERY_NANOS || !lastLogged.compareAndSet(last, now)) {
            unlogged.incrementAndGet();
            return;
        }
        long skipped = unlogged.getAndSet(0);
        log.atLevel(level).log(line.get() + (skipped == 0 ? "" : " (and " + skipped + " more since the last such line)"));
    }
}
