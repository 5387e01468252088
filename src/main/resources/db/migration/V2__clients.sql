-- OAuth clients registered through RFC 7591 (DCR) or provisioned by the operator. CIMD clients are not stored
-- here: their metadata document is the registration. Secrets and registration access tokens are stored as
-- SHA-256 hashes only.
CREATE TABLE oauth_client (
    client_id               VARCHAR(64)    NOT NULL PRIMARY KEY,
    kind                    VARCHAR(16)    NOT NULL,
    metadata_json           VARCHAR(16000) NOT NULL,
    secret_hash             VARCHAR(64),
    registration_token_hash VARCHAR(64),
    issued_at               BIGINT         NOT NULL,
    last_used_at            BIGINT         NOT NULL,
    expires_at              BIGINT
);
CREATE INDEX oauth_client_expires_at ON oauth_client (expires_at);
