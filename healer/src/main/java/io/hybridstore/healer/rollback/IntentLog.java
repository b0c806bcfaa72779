package io.hybridstore.healer.rollback;

import java.util.Optional;

/** What the leader knows of the intent log: the open intents as of the last time it had read the whole log. */
public interface IntentLog {

    Optional<OpenIntents> openIntents();
}
