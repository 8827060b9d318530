package com.royalcare.scheduler.sync;

import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/** Accounts whose open streams end when a change is published, and the reason their screens are told. */
public record StreamEnd(Set<Long> accounts, Reason reason) {

    /** Sent to the client in the stream's final {@code closed} event. */
    public enum Reason {
        DISABLED(Subscription.End.DISABLED), SIGNED_OUT(Subscription.End.SIGNED_OUT);

        final Subscription.End end;

        Reason(Subscription.End end) {
            this.end = end;
        }
    }

    static final StreamEnd NONE = new StreamEnd(Set.of(), Reason.SIGNED_OUT);

    public StreamEnd {
        accounts = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(accounts == null ? Set.of() : accounts));
        Objects.requireNonNull(reason, "reason");
    }

    boolean isEmpty() {
        return accounts.isEmpty();
    }
}
