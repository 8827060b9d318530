package com.royalcare.scheduler.staff;

import org.jdbi.v3.core.Handle;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Staff accounts as other features may read them. The staff package alone reads and writes the
 * staff table; callers own the transaction ({@code h}).
 */
public interface StaffDirectory {

    Optional<Staff> find(Handle h, long id);

    /** Reads the account and locks its row for the rest of the transaction (PostgreSQL; SQLite writers are serial). */
    Optional<Staff> findForUpdate(Handle h, long id);

    /** Accounts of one role and/or activity (null means any), sorted by name. */
    List<Staff> list(Handle h, Role role, Boolean active);

    /** Those of {@code ids} whose account exists and is active. */
    Set<Long> activeAmong(Handle h, Collection<Long> ids);
}
