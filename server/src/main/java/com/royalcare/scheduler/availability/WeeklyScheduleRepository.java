package com.royalcare.scheduler.availability;

import org.jdbi.v3.core.Handle;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/** Where usual weeks and the days the automatic apply has filled are kept. Callers own the transaction; the time stored comes from the repository's clock. */
public interface WeeklyScheduleRepository {

    Optional<WeeklySchedule> find(Handle h, long staffId);

    /** Stores the week (version 1 when new, else one more than before) and returns it as stored. */
    WeeklySchedule save(Handle h, long staffId, WeekTemplate days, boolean autoApply, Long actorId);

    /** Staff ids whose schedule has autoApply on, ascending. */
    List<Long> autoApplyStaff(Handle h);

    /**
     * Records that the automatic apply has filled {@code date} for {@code staffId}; true when this
     * call recorded it, false when it was already recorded (by this node earlier or another node).
     * A unique key makes this the cluster-wide guard: a second claimant waits for the first to commit.
     */
    boolean claimDay(Handle h, long staffId, LocalDate date);
}
