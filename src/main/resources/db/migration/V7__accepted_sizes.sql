-- Every value that validation accepts fits (issue 12.5): a registration of 20 redirect URIs of 2,000 characters
-- with every display field at its limit (metadata JSON up to ClientMetadataValidator.MAX_METADATA_JSON), Client
-- ID Metadata Document URLs of up to 2,048 characters as client ids, and loopback redirect URIs with a port
-- added to a registered 2,000-character URI. The index serves the clearing of successor pairs (issue 12.6).
ALTER TABLE oauth_client ALTER COLUMN metadata_json SET DATA TYPE VARCHAR(200000);
ALTER TABLE authorization_request ALTER COLUMN client_id SET DATA TYPE VARCHAR(2048);
ALTER TABLE authorization_request ALTER COLUMN redirect_uri SET DATA TYPE VARCHAR(2048);
ALTER TABLE consent ALTER COLUMN client_id SET DATA TYPE VARCHAR(2048);
ALTER TABLE authorization_code ALTER COLUMN client_id SET DATA TYPE VARCHAR(2048);
ALTER TABLE authorization_code ALTER COLUMN redirect_uri SET DATA TYPE VARCHAR(2048);
ALTER TABLE refresh_family ALTER COLUMN client_id SET DATA TYPE VARCHAR(2048);
CREATE INDEX refresh_token_rotated_at ON refresh_token (rotated_at);
