-- Bounded storage (issue 14.5): ended refresh families, their tokens and the vault rows behind them are purged on
-- a schedule that one instance at a time claims. Each purge step finds its rows through one of these indexes, so
-- its cost follows the rows it deletes, not the size of the tables.
CREATE INDEX refresh_token_idle_expires_at ON refresh_token (idle_expires_at);
CREATE INDEX refresh_family_absolute_expires_at ON refresh_family (absolute_expires_at);
CREATE INDEX refresh_family_revoked_at ON refresh_family (revoked_at);
CREATE INDEX refresh_family_grant ON refresh_family (grant_id);
CREATE INDEX authorization_code_grant ON authorization_code (grant_id);

-- A vault row that no refresh family holds may go after this time (epoch milliseconds): a login's row until its
-- code could have been redeemed, a machine's row once its Kinde token expired. NULL while a family holds it.
ALTER TABLE kinde_grant ADD COLUMN purge_after BIGINT;
CREATE INDEX kinde_grant_purge_after ON kinde_grant (purge_after);
UPDATE kinde_grant SET purge_after = access_expires_at + 60000 WHERE kinde_subject IS NULL;
UPDATE kinde_grant SET purge_after = created_at + 900000 WHERE kinde_subject IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM refresh_family f WHERE f.grant_id = kinde_grant.id);

-- Scheduled work that one instance of a cluster does at a time: the instance whose conditional update moves
-- due_at (epoch milliseconds) forward runs it; claims counts the runs.
CREATE TABLE bridge_task (
    name   VARCHAR(64) NOT NULL PRIMARY KEY,
    due_at BIGINT      NOT NULL,
    claims BIGINT      NOT NULL
);
INSERT INTO bridge_task (name, due_at, claims) VALUES ('purge', 0, 0);
