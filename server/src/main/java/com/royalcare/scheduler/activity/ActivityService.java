package com.royalcare.scheduler.activity;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.royalcare.scheduler.db.Database;
import com.royalcare.scheduler.staff.Staff;
import com.royalcare.scheduler.staff.StaffDirectory;
import com.royalcare.scheduler.sync.Change;
import com.royalcare.scheduler.sync.ChangeLog;
import com.royalcare.scheduler.web.Caller;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who changed what: pages of the change log, newest first, each change with the names of the
 * person who made it ({@code actorName}) and of the one it concerns ({@code staffName}).
 */
public final class ActivityService {

    /** One change as the feed shows it. */
    public record Entry(@JsonUnwrapped Change change, String actorName, String staffName) {
    }

    /**
     * @param head   the log's head when read: follow the live feed from here
     * @param next   the {@code before} for the next (older) page, or null when this one reached the oldest kept change
     */
    public record Page(long head, List<Entry> items, Long next) {
    }

    private final Database db;
    private final ChangeLog log;
    private final StaffDirectory staff;

    public ActivityService(Database db, ChangeLog log, StaffDirectory staff) {
        this.db = db;
        this.log = log;
        this.staff = staff;
    }

    /** A page of up to {@code limit} changes before {@code before} (newest when null); empty unless the caller is an operator. */
    public Optional<Page> page(Caller caller, Long before, int limit) {
        if (!caller.isOperator()) return Optional.empty();
        return Optional.of(db.read(h -> {
            long head = log.head(h);
            List<Change> changes = log.readBefore(h, before, limit);
            Map<Long, String> names = new HashMap<>();
            for (Change c : changes) {
                for (Long id : new Long[] {c.actorId(), c.staffId()}) {
                    if (id != null && !names.containsKey(id)) names.put(id, staff.find(h, id).map(Staff::name).orElse(null));
                }
            }
            List<Entry> items = changes.stream()
                    .map(c -> new Entry(c, name(names, c.actorId()), name(names, c.staffId())))
                    .toList();
            Long next = changes.size() < limit ? null : changes.get(changes.size() - 1).seq();
            return new Page(head, items, next);
        }));
    }

    private static String name(Map<Long, String> names, Long id) {
        return id == null ? null : names.get(id);
    }
}
