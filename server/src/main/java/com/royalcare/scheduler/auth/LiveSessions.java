package com.royalcare.scheduler.auth;

import java.util.Set;

/** Which sessions are still live; sync re-checks its open streams with it at each heartbeat. */
@FunctionalInterface
public interface LiveSessions {

    /** Those of {@code tokenHashes} whose session is unexpired and whose account is active. */
    Set<String> liveAmong(Set<String> tokenHashes);
}
