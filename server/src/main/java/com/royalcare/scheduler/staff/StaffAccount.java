package com.royalcare.scheduler.staff;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

import java.time.Instant;

/**
 * A staff record as operators see it: the record plus when a sign-in lock ends ({@code lockedUntil},
 * null unless the account is locked now). Other roles see the plain {@link Staff}.
 */
public record StaffAccount(@JsonUnwrapped Staff staff, Instant lockedUntil) {
}
