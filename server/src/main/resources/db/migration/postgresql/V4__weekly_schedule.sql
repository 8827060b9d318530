-- A usual week per therapist or driver (issue 11). days is JSON text:
-- {"mon":[{"start":"13:00","end":"01:00"}],"tue":[],...}; per-date slots in availability stay the truth.
CREATE TABLE weekly_schedule (
    staff_id     BIGINT  PRIMARY KEY REFERENCES staff (id),
    days         TEXT    NOT NULL,
    auto_apply   BOOLEAN NOT NULL DEFAULT FALSE,
    version      INTEGER NOT NULL,
    updated_at   TEXT    NOT NULL,
    updated_by   BIGINT  REFERENCES staff (id)
);

-- Days the automatic apply has filled, one row per (staff, date): the unique key is what keeps
-- several nodes (and restarts) from filling a day twice or re-creating a slot someone deleted.
CREATE TABLE weekly_applied_days (
    staff_id     BIGINT  NOT NULL REFERENCES staff (id),
    date         TEXT    NOT NULL,
    applied_at   TEXT    NOT NULL,
    PRIMARY KEY (staff_id, date)
);
