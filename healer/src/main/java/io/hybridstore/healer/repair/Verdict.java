package io.hybridstore.healer.repair;

/**
 * What the healer knows about one referenced blob: verified intact on its node, bad (missing, corrupt, or on a node
 * dead past the grace period), or unknown (the node is briefly down or did not answer) — unknown is left alone.
 */
public enum Verdict { INTACT, BAD, UNKNOWN }
