-- Sessions end after an idle period as well as at expires_at: last_seen_at is touched by requests
-- (at most once a minute) and by open event streams. A session ended for a reason the screen must
-- be told (the account was disabled, the password changed) is kept, marked, until it expires.
ALTER TABLE sessions ADD COLUMN last_seen_at TEXT;
ALTER TABLE sessions ADD COLUMN ended_reason TEXT;
UPDATE sessions SET last_seen_at = created_at;

-- Failed sign-ins are counted per account AND client address: guessing from one address locks only
-- that address out of that account, never the real user elsewhere. (staff.failed_logins and
-- staff.locked_until are no longer used.)
CREATE TABLE sign_in_failures (
    staff_id      INTEGER NOT NULL REFERENCES staff (id),
    client        TEXT    NOT NULL,
    failed        INTEGER NOT NULL,
    locked_until  TEXT,
    updated_at    TEXT    NOT NULL,
    PRIMARY KEY (staff_id, client)
) WITHOUT ROWID;
CREATE INDEX sign_in_failures_updated ON sign_in_failures (updated_at);
