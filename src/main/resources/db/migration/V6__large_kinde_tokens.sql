-- Kinde access tokens of tenants with many permissions and feature flags pass 16 KiB; the bridge accepts them up
-- to the 32 KiB header bound of the server (README, "Kinde tokens"). Their encrypted copies and the identities
-- and bridge tokens derived from them need room to match.
ALTER TABLE kinde_grant ALTER COLUMN tokens_enc SET DATA TYPE VARCHAR(200000);
ALTER TABLE authorization_code ALTER COLUMN identity_json SET DATA TYPE VARCHAR(64000);
ALTER TABLE refresh_family ALTER COLUMN identity_json SET DATA TYPE VARCHAR(64000);
ALTER TABLE refresh_token ALTER COLUMN successor_enc SET DATA TYPE VARCHAR(200000);
