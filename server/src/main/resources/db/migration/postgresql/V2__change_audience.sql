-- A change's audience (who may see it besides operators) and dates, and the accounts whose streams it
-- ends, stored so every node and every resume applies exactly what the feature decided.
-- staff_id and date keep the one staff member / the main date, as before.
ALTER TABLE change_log ADD COLUMN everyone BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE change_log ADD COLUMN audience TEXT;      -- comma-separated staff ids, NULL for none
ALTER TABLE change_log ADD COLUMN dates TEXT;         -- comma-separated YYYY-MM-DD, main date first
ALTER TABLE change_log ADD COLUMN end_accounts TEXT;  -- comma-separated staff ids, NULL for none
ALTER TABLE change_log ADD COLUMN end_reason TEXT;

-- Before audiences, a change was for its staff_id; a global_refresh without one was for everyone.
UPDATE change_log SET everyone = (staff_id IS NULL AND type = 'global_refresh'),
                      audience = CAST(staff_id AS TEXT), dates = date;
-- A disabling staff_updated used to end that account's streams; keep that for changes still in the log.
UPDATE change_log SET end_accounts = CAST(staff_id AS TEXT), end_reason = 'DISABLED'
 WHERE type = 'staff_updated' AND staff_id IS NOT NULL AND (data::jsonb ->> 'active') = 'false';

-- One row per audience member (staff_id 0: everyone), so a person's history is read through an index.
CREATE TABLE change_audience (
    staff_id  BIGINT NOT NULL,
    seq       BIGINT NOT NULL,
    PRIMARY KEY (staff_id, seq)
);
INSERT INTO change_audience (staff_id, seq) SELECT staff_id, seq FROM change_log WHERE staff_id IS NOT NULL;
INSERT INTO change_audience (staff_id, seq) SELECT 0, seq FROM change_log WHERE staff_id IS NULL AND type = 'global_refresh';
