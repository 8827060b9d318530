package com.royalcare.scheduler.staff;

import com.royalcare.scheduler.db.Database;
import com.royalcare.scheduler.idempotency.Idempotent;
import com.royalcare.scheduler.sync.ChangeLog;
import com.royalcare.scheduler.sync.NewChange;
import com.royalcare.scheduler.sync.StreamEnd;
import com.royalcare.scheduler.web.Json;
import org.jdbi.v3.core.Handle;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Staff accounts: listing, creation and edits, each edit logged as a {@code staff_updated} change.
 * Answers in domain terms ({@link StaffOutcome}); the handler decides what HTTP makes of them.
 */
public final class StaffService {

    public static final String CHANGE_TYPE = "staff_updated";

    public record Listing(long seq, List<Staff> items) {
    }

    private final Database db;
    private final StaffRepository repo;
    private final ChangeLog changes;
    private final AccountSessions sessions;
    private final PasswordHashing passwords;

    /**
     * @param sessions  ends a disabled account's sessions, inside the disabling transaction
     * @param passwords turns a clear password into the stored hash
     */
    public StaffService(Database db, StaffRepository repo, ChangeLog changes, AccountSessions sessions, PasswordHashing passwords) {
        this.db = db;
        this.repo = repo;
        this.changes = changes;
        this.sessions = sessions;
        this.passwords = passwords;
    }

    public Listing list(Role role, Boolean active) {
        return db.read(h -> new Listing(changes.head(h), repo.list(h, role, active)));
    }

    public Optional<Staff> get(long id) {
        return db.read(h -> repo.find(h, id));
    }

    /** The list as operators see it: each account with its sign-in lock, if one is in force. */
    public List<StaffAccount> accounts(Listing listing) {
        Map<Long, Instant> locked = db.read(repo::locksInForce);
        return listing.items().stream().map(s -> new StaffAccount(s, locked.get(s.id()))).toList();
    }

    /** One account as operators see it: with its sign-in lock, if one is in force. */
    public StaffAccount account(Staff s) {
        return new StaffAccount(s, db.read(repo::locksInForce).get(s.id()));
    }

    /** Lifts a sign-in lock (and the failed count) at once; logged like any other edit so other operators see it. */
    public StaffOutcome.OfUnlock unlock(long id, long actorId) {
        return db.write(h -> {
            Optional<Staff> found = repo.findForUpdate(h, id);
            if (found.isEmpty()) return new StaffOutcome.NotFound(id);
            repo.unlock(h, id);
            record(h, found.get(), actorId);
            return new StaffOutcome.Unlocked(new StaffAccount(found.get(), null));
        });
    }

    public StaffOutcome.OfCreate create(StaffDraft draft, String password, Long actorId) {
        return create(draft, password, actorId, Idempotent.none());
    }

    /** Creates an account; a retry with the same idempotency key gets the first answer and creates nothing. */
    public StaffOutcome.OfCreate create(StaffDraft draft, String password, Long actorId, Idempotent<StaffOutcome.OfCreate> once) {
        Optional<StaffOutcome.WrongRoleField> wrong = StaffRules.wrongRoleField(draft.role(), draft.pressure(), draft.vehiclePlate());
        if (wrong.isPresent()) return wrong.get();
        String hash = passwords.hash(password); // outside the transaction: bcrypt is slow
        return db.write(h -> once.inTransaction(h, () -> {
            if (repo.findByUsername(h, draft.username()).isPresent()) return new StaffOutcome.UsernameTaken(draft.username());
            Staff created = repo.insert(h, draft, hash);
            record(h, created, actorId);
            return new StaffOutcome.Saved(created);
        }));
    }

    /** Applies {@code edit} to the stored record; disabling or a new password ends the account's sessions in the same transaction. */
    public StaffOutcome.OfUpdate update(long id, StaffEdit edit, long actorId) {
        if (edit.active() != null && !edit.active() && id == actorId) return new StaffOutcome.CannotDisableSelf();
        String newHash = edit.password() == null ? null : passwords.hash(edit.password());
        return db.write(h -> {
            Optional<Staff> found = repo.findForUpdate(h, id);
            if (found.isEmpty()) return new StaffOutcome.NotFound(id);
            Staff current = found.get();
            Staff next = edit.applyTo(current);
            Optional<StaffOutcome.WrongRoleField> wrong = StaffRules.wrongRoleField(next.role(), next.pressure(), next.vehiclePlate());
            if (wrong.isPresent()) return wrong.get();
            Staff saved = repo.update(h, next);
            sessions.accountChanged(h, id);
            if (newHash != null) repo.setPassword(h, id, newHash);
            boolean passwordReset = newHash != null;
            // a reset password or a disabled account signs the person out everywhere, at once
            if (current.active() && !saved.active()) sessions.endAll(h, id, AccountSessions.Why.DISABLED);
            else if (passwordReset) sessions.endAll(h, id, AccountSessions.Why.PASSWORD_RESET);
            record(h, saved, actorId, passwordReset);
            return new StaffOutcome.Saved(saved);
        });
    }

    /** Creates the account only if no staff exist yet; returns whether it did. */
    public boolean createIfEmpty(StaffDraft draft, String password) {
        String hash = passwords.hash(password);
        return db.write(h -> {
            repo.lockTable(h); // two nodes starting on one empty database create one operator
            if (repo.count(h) > 0) return false;
            record(h, repo.insert(h, draft, hash), null);
            return true;
        });
    }

    private void record(Handle h, Staff s, Long actorId) {
        record(h, s, actorId, false);
    }

    /** Logs the change; a disabled account's or a reset password's open streams end on every node, before this change. */
    private void record(Handle h, Staff s, Long actorId, boolean signOut) {
        NewChange change = NewChange.about(CHANGE_TYPE, actorId, s.id(), null, Json.tree(s));
        if (!s.active()) change = change.endingStreamsOf(Set.of(s.id()), StreamEnd.Reason.DISABLED);
        else if (signOut) change = change.endingStreamsOf(Set.of(s.id()), StreamEnd.Reason.SIGNED_OUT);
        changes.append(h, change);
    }
}
