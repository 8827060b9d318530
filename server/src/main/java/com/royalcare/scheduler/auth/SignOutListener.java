package com.royalcare.scheduler.auth;

/** Told after a sign-out has committed (sync closes the live streams opened with that session). */
@FunctionalInterface
public interface SignOutListener {

    void signedOut(Principal principal);
}
