package com.royalcare.scheduler.staff;

import com.royalcare.scheduler.db.Database;
import com.royalcare.scheduler.sync.ChangeLog;
import com.royalcare.scheduler.sync.NewChange;
import com.royalcare.scheduler.sync.StreamEnd;
import com.royalcare.scheduler.web.ApiException;
import com.royalcare.scheduler.web.Json;
import org.jdbi.v3.core.Handle;

import java.util.List;
import java.util.Set;
import java.util.function.ObjLongConsumer;
import java.util.regex.Pattern;

/** Staff accounts: listing, creation and edits, each edit logged as a {@code staff_updated} change. */
public final class StaffService {

    public static final String CHANGE_TYPE = "staff_updated";
    static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{2,39}");
    static final Set<String> PRESSURES = Set.of("soft", "moderate", "hard");

    public record Listing(long seq, List<Staff> items) {
    }

    private final Database db;
    private final StaffRepository repo;
    private final ChangeLog changes;
    private final ObjLongConsumer<Handle> onDisabled;
    private final java.util.function.Function<String, String> passwordHasher;

    /**
     * @param onDisabled runs in the disabling transaction (ends the account's sessions)
     * @param passwordHasher turns a clear password into the stored hash
     */
    public StaffService(Database db, StaffRepository repo, ChangeLog changes,
                        ObjLongConsumer<Handle> onDisabled, java.util.function.Function<String, String> passwordHasher) {
        this.db = db;
        this.repo = repo;
        this.changes = changes;
        this.onDisabled = onDisabled;
        this.passwordHasher = passwordHasher;
    }

    public Listing list(Role role, Boolean active) {
        return db.read(h -> new Listing(changes.head(h), repo.list(h, role, active)));
    }

    /** The list as operators see it: with each account's sign-in lock, if any. */
    public List<StaffAccount> accounts(Listing listing) {
        java.util.Map<Long, java.time.Instant> locked = db.read(h -> repo.lockedAfter(h, com.royalcare.scheduler.db.Timestamps.now()));
        return listing.items().stream().map(s -> new StaffAccount(s, locked.get(s.id()))).toList();
    }

    public StaffAccount account(Staff s) {
        return new StaffAccount(s, db.read(h -> repo.lockedAfter(h, com.royalcare.scheduler.db.Timestamps.now())).get(s.id()));
    }

    /** Lifts a sign-in lock (and the failed count) at once; logged like any other edit so other operators see it. */
    public StaffAccount unlock(long id, long actorId) {
        Staff saved = db.write(h -> {
            db.lockRow(h, "staff", id);
            Staff current = repo.find(h, id).orElseThrow(() -> ApiException.notFound("Staff member " + id));
            repo.unlock(h, id);
            record(h, current, actorId);
            return current;
        });
        return new StaffAccount(saved, null);
    }

    public Staff get(long id) {
        return db.read(h -> repo.find(h, id)).orElseThrow(() -> ApiException.notFound("Staff member " + id));
    }

    public Staff create(StaffDraft draft, String password, Long actorId) {
        validateRoleFields(draft.role(), draft.pressure(), draft.vehiclePlate());
        String hash = passwordHasher.apply(password); // outside the transaction: bcrypt is slow
        return db.write(h -> {
            if (repo.findByUsername(h, draft.username()).isPresent()) {
                throw new ApiException(409, "USERNAME_TAKEN", "The username '" + draft.username() + "' is already taken.");
            }
            Staff created = repo.insert(h, draft, hash);
            record(h, created, actorId);
            return created;
        });
    }

    /** Applies {@code edit} to the stored record; disabling ends the account's sessions in the same transaction. */
    public Staff update(long id, StaffEdit edit, long actorId) {
        if (edit.active() != null && !edit.active() && id == actorId) {
            throw new ApiException(400, "CANNOT_DISABLE_SELF", "You cannot disable your own account.");
        }
        String newHash = edit.password() == null ? null : passwordHasher.apply(edit.password());
        return db.write(h -> {
            db.lockRow(h, "staff", id);
            Staff current = repo.find(h, id).orElseThrow(() -> ApiException.notFound("Staff member " + id));
            Staff next = edit.applyTo(current);
            validateRoleFields(next.role(), next.pressure(), next.vehiclePlate());
            Staff saved = repo.update(h, next);
            if (newHash != null) repo.setPasswordHash(h, id, newHash);
            if (current.active() && !saved.active()) onDisabled.accept(h, id);
            record(h, saved, actorId);
            return saved;
        });
    }

    /** Creates the account only if no staff exist yet; returns whether it did. */
    public boolean createIfEmpty(StaffDraft draft, String password) {
        String hash = passwordHasher.apply(password);
        return db.write(h -> {
            db.lockTable(h, "staff"); // two nodes starting on one empty database create one operator
            if (repo.count(h) > 0) return false;
            record(h, repo.insert(h, draft, hash), null);
            return true;
        });
    }

    private void record(Handle h, Staff s, Long actorId) {
        NewChange change = NewChange.about(CHANGE_TYPE, actorId, s.id(), null, Json.tree(s));
        // a disabled account is signed out everywhere: its open streams end on every node, before this change
        if (!s.active()) change = change.endingStreamsOf(Set.of(s.id()), StreamEnd.Reason.DISABLED);
        changes.append(h, change);
    }

    static void validateRoleFields(Role role, String pressure, String vehiclePlate) {
        if (pressure != null && role != Role.THERAPIST) {
            throw new ApiException(400, "VALIDATION", "Only therapists have a massage pressure.",
                    java.util.Map.of("pressure", "is only for therapists"), java.util.Map.of());
        }
        if (vehiclePlate != null && role != Role.DRIVER) {
            throw new ApiException(400, "VALIDATION", "Only drivers have a vehicle plate.",
                    java.util.Map.of("vehiclePlate", "is only for drivers"), java.util.Map.of());
        }
    }
}
