package com.royalcare.scheduler.auth;

/** Why a session that was once valid no longer is, as the client is told it (401 with this code). */
enum SessionEnd {
    /** Past its absolute lifetime or idle too long. */
    EXPIRED("SESSION_EXPIRED", "Your session has ended. Please sign in again."),
    /** The account was disabled by an operator. */
    DISABLED("ACCOUNT_DISABLED", "Your account has been disabled, so you were signed out. Please contact an operator."),
    /** The password was changed (by an operator, or by the person in another session). */
    PASSWORD_CHANGED("UNAUTHENTICATED", "Your password was changed, so you were signed out here. Please sign in again.");

    final String code;
    final String message;

    SessionEnd(String code, String message) {
        this.code = code;
        this.message = message;
    }
}
