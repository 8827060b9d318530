package com.royalcare.scheduler.sync;

import java.util.Set;

/** Checks, at each heartbeat round, which of the sessions behind open streams are still valid. */
public interface LiveSessions {
    /** Of the given session token hashes, those still signed in, unexpired and of an active account. */
    Set<String> stillValid(Set<String> tokenHashes);
}
