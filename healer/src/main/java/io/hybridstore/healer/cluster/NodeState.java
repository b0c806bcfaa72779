package io.hybridstore.healer.cluster;

/** A storage node as the healer sees it: registered, briefly gone (wait), or gone past the grace period (replace). */
public enum NodeState { LIVE, DOWN, DEAD }
