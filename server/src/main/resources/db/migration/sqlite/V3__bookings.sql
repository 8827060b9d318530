-- Bookings: the service menu, clients, appointments with their services, assignees and history.
-- Money is stored as whole cents (exact). Appointment times are kept both business-local (date,
-- start_time, end_time as shown) and as fixed-width UTC instants (starts_at, ends_at) for overlap queries.
CREATE TABLE services (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    name              TEXT    NOT NULL UNIQUE,
    duration_minutes  INTEGER NOT NULL CHECK (duration_minutes > 0),
    price_cents       INTEGER NOT NULL CHECK (price_cents >= 0),
    active            INTEGER NOT NULL DEFAULT 1,
    created_at        TEXT    NOT NULL,
    updated_at        TEXT    NOT NULL
);

CREATE TABLE clients (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT NOT NULL,
    phone       TEXT NOT NULL UNIQUE,
    address     TEXT,
    notes       TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE appointments (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id          INTEGER NOT NULL REFERENCES clients (id),
    address            TEXT,
    notes              TEXT,
    date               TEXT    NOT NULL,
    start_time         TEXT    NOT NULL,
    end_time           TEXT    NOT NULL,
    starts_at          TEXT    NOT NULL,
    ends_at            TEXT    NOT NULL,
    status             TEXT    NOT NULL CHECK (status IN ('pending', 'confirmed', 'rejected', 'in_progress', 'completed', 'cancelled')),
    forced             INTEGER NOT NULL DEFAULT 0,
    payment_method     TEXT CHECK (payment_method IN ('cash', 'gcash', 'bank_transfer')),
    amount_paid_cents  INTEGER,
    version            INTEGER NOT NULL,
    created_at         TEXT    NOT NULL,
    updated_at         TEXT    NOT NULL
);
CREATE INDEX appointments_date ON appointments (date);

CREATE TABLE appointment_services (
    appointment_id    INTEGER NOT NULL REFERENCES appointments (id),
    position          INTEGER NOT NULL,
    service_id        INTEGER NOT NULL REFERENCES services (id),
    name              TEXT    NOT NULL,
    duration_minutes  INTEGER NOT NULL,
    price_cents       INTEGER NOT NULL,
    PRIMARY KEY (appointment_id, position)
);

CREATE TABLE appointment_staff (
    appointment_id  INTEGER NOT NULL REFERENCES appointments (id),
    staff_id        INTEGER NOT NULL REFERENCES staff (id),
    role            TEXT    NOT NULL CHECK (role IN ('therapist', 'driver')),
    response        TEXT    NOT NULL CHECK (response IN ('pending', 'accepted', 'rejected')),
    reason          TEXT,
    PRIMARY KEY (appointment_id, staff_id)
);
CREATE INDEX appointment_staff_staff ON appointment_staff (staff_id, appointment_id);

CREATE TABLE appointment_history (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    appointment_id  INTEGER NOT NULL REFERENCES appointments (id),
    status          TEXT    NOT NULL,
    by_id           INTEGER REFERENCES staff (id),
    at              TEXT    NOT NULL,
    reason          TEXT
);
CREATE INDEX appointment_history_appointment ON appointment_history (appointment_id, id);
