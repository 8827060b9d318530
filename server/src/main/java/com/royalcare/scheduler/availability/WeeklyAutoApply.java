package com.royalcare.scheduler.availability;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps weekly schedules with autoApply on applied {@code WEEKLY_HORIZON_WEEKS} ahead: once at
 * startup, then just after each business-local midnight. Every node runs it; the per-day claims
 * in the database ({@link WeeklyScheduleRepository#claimDay}) make the result that of one node.
 */
public final class WeeklyAutoApply implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WeeklyAutoApply.class);
    /** Run a little after midnight, so a clock a few milliseconds early still sees the new day. */
    static final Duration AFTER_MIDNIGHT = Duration.ofSeconds(5);

    private final WeeklyScheduleService service;
    private final ZoneId zone;
    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "weekly-auto-apply");
        t.setDaemon(true);
        return t;
    });

    public WeeklyAutoApply(WeeklyScheduleService service, ZoneId zone, Clock clock) {
        this.service = service;
        this.zone = zone;
        this.clock = clock;
    }

    /** The startup run, then one after each midnight. */
    public void start() {
        timer.execute(this::runAndReschedule);
    }

    /** Applies what is due now, on the caller's thread; returns the slots created (tests and the timer use it). */
    public int runNow() {
        return service.autoApplyDue();
    }

    private void runAndReschedule() {
        try {
            int created = runNow();
            if (created > 0) LOG.info("Weekly schedules: {} slot(s) created for the next {} weeks", created, service.horizonWeeks());
        } catch (RuntimeException e) {
            LOG.warn("Weekly schedules could not be applied this time; trying again after the next midnight", e);
        }
        if (!timer.isShutdown()) timer.schedule(this::runAndReschedule, untilNextRun(clock.instant(), zone).toMillis(), TimeUnit.MILLISECONDS);
    }

    /** From {@code now} to just after the next midnight in {@code zone} (the zone's own midnight, also on DST days). */
    static Duration untilNextRun(Instant now, ZoneId zone) {
        LocalDate tomorrow = LocalDate.ofInstant(now, zone).plusDays(1);
        return Duration.between(now, tomorrow.atStartOfDay(zone).toInstant()).plus(AFTER_MIDNIGHT);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
