-- Master-key rotation (issue 15.5): the periodic re-encryption of sealed values under the current master key is
-- claimed per period like the purge, so that a cluster does each pass once.
INSERT INTO bridge_task (name, due_at, claims) VALUES ('master-key', 0, 0);
