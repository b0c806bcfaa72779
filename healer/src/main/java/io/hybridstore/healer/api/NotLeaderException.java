package io.hybridstore.healer.api;

/** A request only the leader can serve reached a follower; the answer names the leader to ask instead. */
final class NotLeaderException extends RuntimeException {

    NotLeaderException(String leaderId) {
        super("ask the leader: " + leaderId);
    }
}
