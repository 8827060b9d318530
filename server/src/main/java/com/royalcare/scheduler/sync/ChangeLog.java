package com.royalcare.scheduler.sync;

import com.royalcare.scheduler.db.Database;
import com.royalcare.scheduler.db.StoredText;
import com.royalcare.scheduler.db.Timestamps;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.royalcare.scheduler.web.Json;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The durable, ordered log of every committed change. Features call {@link #append} inside their
 * own write transaction, so a change is logged if and only if the mutation commits.
 *
 * <p>Ordering: {@code append} increments the single counter row and holds its lock until commit.
 * The next writer cannot take a number until this one has committed, so numbers are gap-free and
 * follow commit order on any number of nodes: whoever sees seq N committed also sees every seq
 * below N. Call it as the last statement of a transaction to keep that lock short.
 */
public final class ChangeLog {

    private static final RowMapper<Change> MAPPER = (rs, ctx) -> {
        long actor = rs.getLong("actor_id");
        boolean noActor = rs.wasNull();
        Audience audience = new Audience(rs.getBoolean("everyone"), ids(rs.getString("audience")));
        String endReason = rs.getString("end_reason");
        StreamEnd ends = endReason == null ? null : new StreamEnd(ids(rs.getString("end_accounts")), StreamEnd.Reason.valueOf(endReason));
        try {
            return new Change(rs.getLong("seq"), rs.getString("type"), StoredText.instant(rs.getString("at")),
                    noActor ? null : actor, audience, dates(rs.getString("dates")),
                    Json.MAPPER.readTree(rs.getString("data")), ends);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable change data at seq " + rs.getLong("seq"), e);
        }
    };

    /** The {@code change_audience} row of a change for everyone (no account has id 0). */
    private static final long EVERYONE = 0;

    /** The PostgreSQL channel other nodes LISTEN on; the payload is the seq. */
    public static final String CHANNEL = "rcs_changes";

    private final Consumer<Change> afterCommit;
    private final boolean notifyOtherNodes;
    // The seq of this process's newest append, and of its newest append known to have committed. Where this process
    // is the database's only writer, the committed head is known without a read whenever the two agree.
    private final AtomicLong appended = new AtomicLong(-1);
    private final AtomicLong committed = new AtomicLong(-1);

    /** @param afterCommit called with each change once its transaction has committed (the local fan-out) */
    public ChangeLog(Consumer<Change> afterCommit) {
        this(afterCommit, false);
    }

    /**
     * @param notifyOtherNodes PostgreSQL only: also {@code NOTIFY} {@value #CHANNEL} in the writing transaction, which
     *                         PostgreSQL delivers to listeners on every node when (and only if) it commits
     */
    public ChangeLog(Consumer<Change> afterCommit, boolean notifyOtherNodes) {
        this.afterCommit = afterCommit;
        this.notifyOtherNodes = notifyOtherNodes;
    }

    /** Appends {@code change} in the caller's transaction and returns it with its seq. */
    public Change append(Handle h, NewChange change) {
        long seq = h.createQuery("UPDATE change_counter SET seq = seq + 1 WHERE id = 1 RETURNING seq")
                .mapTo(Long.class).one();
        appended.set(seq); // before the commit can make seq visible: until committed catches up, head(db) reads
        h.afterCommit(() -> committed.accumulateAndGet(seq, Math::max));
        Change stored = new Change(seq, change.type(), Timestamps.now(), change.actorId(), change.audience(), change.dates(),
                change.data(), change.endStreams());
        Audience audience = stored.audience();
        h.createUpdate("INSERT INTO change_log (seq, type, at, actor_id, staff_id, date, data, everyone, audience, dates, end_accounts, end_reason) "
                        + "VALUES (:seq, :type, :at, :actor, :staff, :date, :data, :everyone, :audience, :dates, :endAccounts, :endReason)")
                .bind("seq", seq)
                .bind("type", stored.type())
                .bind("at", Timestamps.format(stored.at()))
                .bind("actor", stored.actorId())
                .bind("staff", stored.staffId())
                .bind("date", stored.date() == null ? null : stored.date().toString())
                .bind("data", Json.write(stored.data()))
                .bind("everyone", audience.allStaff())
                .bind("audience", joined(audience.staffIds()))
                .bind("dates", joined(stored.dates()))
                .bind("endAccounts", joined(stored.endStreams().accounts()))
                .bind("endReason", stored.endStreams().isEmpty() ? null : stored.endStreams().reason().name())
                .execute();
        if (audience.allStaff()) {
            h.createUpdate("INSERT INTO change_audience (staff_id, seq) VALUES (" + EVERYONE + ", :seq)").bind("seq", seq).execute();
        } else if (!audience.staffIds().isEmpty()) {
            PreparedBatch members = h.prepareBatch("INSERT INTO change_audience (staff_id, seq) VALUES (:staff, :seq)");
            for (long id : audience.staffIds()) members.bind("staff", id).bind("seq", seq).add();
            members.execute();
        }
        if (notifyOtherNodes) h.execute("NOTIFY " + CHANNEL + ", '" + seq + "'");
        Database.afterRelease(h, () -> afterCommit.accept(stored));
        return stored;
    }

    /**
     * The seq of the newest committed change, for a caller outside any transaction. Where this process is the only
     * writer ({@link Database#soleWriter}), once it has committed an append and none is in flight, that append is
     * the head; otherwise it is read. Streams start
     * here when the client gives no position, so it must be the committed head: a screen whose snapshot already
     * holds a change would get it twice from an older start. A rolled-back or failed commit leaves the two apart,
     * which only means reading, until the next commit.
     */
    public long head(Database db) {
        if (db.soleWriter()) {
            long a = appended.get();
            if (a >= 0 && committed.get() == a) return a;
        }
        return db.read(this::head);
    }

    /** The seq of the newest committed change as seen by this handle's transaction (0 when empty). */
    public long head(Handle h) {
        return h.createQuery("SELECT seq FROM change_counter WHERE id = 1").mapTo(Long.class).one();
    }

    /** Up to {@code limit} changes after {@code seq}, oldest first. */
    public List<Change> readAfter(Handle h, long seq, int limit) {
        return h.createQuery("SELECT * FROM change_log WHERE seq > :seq ORDER BY seq LIMIT :limit")
                .bind("seq", seq).bind("limit", limit).map(MAPPER).list();
    }

    /**
     * Up to {@code limit} changes in {@code (after, through]} that a non-operator may see (their
     * audience includes {@code staffId}, or everyone), oldest first. Read through the
     * {@code change_audience} index, so a resume costs what the viewer may see, not the whole log.
     */
    public List<Change> readVisibleAfter(Handle h, long staffId, long after, long through, int limit) {
        return h.createQuery("SELECT * FROM change_log WHERE seq IN (SELECT seq FROM change_audience "
                        + "WHERE staff_id IN (" + EVERYONE + ", :staff) AND seq > :after AND seq <= :through ORDER BY seq LIMIT :limit) "
                        + "ORDER BY seq")
                .bind("staff", staffId).bind("after", after).bind("through", through).bind("limit", limit)
                .map(MAPPER).list();
    }

    /** Up to {@code limit} changes before {@code seq} (all when null), newest first: for reading the log back in pages. */
    public List<Change> readBefore(Handle h, Long seq, int limit) {
        return h.createQuery("SELECT * FROM change_log WHERE (:seq IS NULL OR seq < :seq) ORDER BY seq DESC LIMIT :limit")
                .bind("seq", seq).bind("limit", limit).map(MAPPER).list();
    }

    /** The oldest seq still kept (0 when the log is empty): a resume point below {@code oldest - 1} must reset. */
    public long oldestKept(Handle h) {
        return h.createQuery("SELECT COALESCE(MIN(seq), 0) FROM change_log").mapTo(Long.class).one();
    }

    /** Drops changes older than {@code before}, always keeping the newest {@code keepAtLeast}. Returns rows removed. */
    public int prune(Handle h, Instant before, long keepAtLeast) {
        long head = head(h);
        int removed = h.createUpdate("DELETE FROM change_log WHERE at < :before AND seq <= :limit")
                .bind("before", Timestamps.format(before))
                .bind("limit", head - keepAtLeast)
                .execute();
        if (removed > 0) {
            h.createUpdate("DELETE FROM change_audience WHERE seq < (SELECT COALESCE(MIN(seq), :next) FROM change_log)")
                    .bind("next", head + 1).execute();
        }
        return removed;
    }

    private static String joined(java.util.Collection<?> values) {
        if (values.isEmpty()) return null;
        StringBuilder b = new StringBuilder();
        for (Object v : values) b.append(b.length() == 0 ? "" : ",").append(v);
        return b.toString();
    }

    private static Set<Long> ids(String joined) {
        if (joined == null || joined.isEmpty()) return Set.of();
        Set<Long> ids = new HashSet<>();
        for (String part : joined.split(",")) ids.add(Long.parseLong(part));
        return ids;
    }

    private static List<LocalDate> dates(String joined) {
        if (joined == null || joined.isEmpty()) return List.of();
        List<LocalDate> dates = new ArrayList<>();
        for (String part : joined.split(",")) dates.add(StoredText.date(part));
        return dates;
    }
}
