-- Times are stored as ISO-8601 text (dates 'YYYY-MM-DD', times 'HH:mm', instants in UTC with 'Z')
-- so the same repository code runs on SQLite and PostgreSQL.
CREATE TABLE staff (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    username         TEXT    NOT NULL UNIQUE,
    name             TEXT    NOT NULL,
    role             TEXT    NOT NULL CHECK (role IN ('operator', 'therapist', 'driver')),
    active           INTEGER NOT NULL DEFAULT 1,
    phone            TEXT,
    specialization   TEXT,
    pressure         TEXT CHECK (pressure IN ('soft', 'moderate', 'hard')),
    vehicle_plate    TEXT,
    password_hash    TEXT    NOT NULL,
    failed_logins    INTEGER NOT NULL DEFAULT 0,
    locked_until     TEXT,
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL
);

CREATE TABLE sessions (
    token_hash   TEXT    PRIMARY KEY,
    staff_id     INTEGER NOT NULL REFERENCES staff (id),
    created_at   TEXT    NOT NULL,
    expires_at   TEXT    NOT NULL
);
CREATE INDEX sessions_staff ON sessions (staff_id);

CREATE TABLE availability (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    staff_id     INTEGER NOT NULL REFERENCES staff (id),
    date         TEXT    NOT NULL,
    start_time   TEXT    NOT NULL,
    end_time     TEXT    NOT NULL,
    available    INTEGER NOT NULL,
    note         TEXT,
    version      INTEGER NOT NULL,
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL,
    updated_by   INTEGER REFERENCES staff (id)
);
CREATE INDEX availability_staff_date ON availability (staff_id, date);
CREATE INDEX availability_date ON availability (date);

-- The change log: one row per committed mutation, seq gap-free in commit order.
CREATE TABLE change_log (
    seq        INTEGER PRIMARY KEY,
    type       TEXT    NOT NULL,
    at         TEXT    NOT NULL,
    actor_id   INTEGER,
    staff_id   INTEGER,
    date       TEXT,
    data       TEXT    NOT NULL
);
CREATE INDEX change_log_at ON change_log (at);

-- One row; every writer increments it last thing before commit and holds its lock until then,
-- which is what puts sequence numbers in commit order.
CREATE TABLE change_counter (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    seq   INTEGER NOT NULL
);
INSERT INTO change_counter (id, seq) VALUES (1, 0);
