-- Idempotency keys: the first answer to a create sent with an Idempotency-Key, stored in the SAME
-- transaction as the write it answers, so a retry with the same key gets that answer and stores
-- nothing twice. Keys are per account. Rows older than 24 hours are pruned.
CREATE TABLE idempotency_key (
    account_id   INTEGER NOT NULL,
    idem_key     TEXT    NOT NULL,
    fingerprint  TEXT    NOT NULL,   -- SHA-256 of method, path and canonical JSON body
    status       INTEGER,            -- the stored answer (set before the transaction commits)
    headers      TEXT,               -- JSON object: Location, ETag
    body         TEXT,
    created_at   TEXT    NOT NULL,
    PRIMARY KEY (account_id, idem_key)
) WITHOUT ROWID;
CREATE INDEX idempotency_key_created ON idempotency_key (created_at);
