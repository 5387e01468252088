-- What the access tokens of a grant carry from Kinde's signed tokens (org_code, permissions, roles), JSON.
ALTER TABLE authorization_code ADD COLUMN identity_json VARCHAR(8000);

-- One refresh-token family per grant (authorization code exchange). Revoking the family ends every token in it.
CREATE TABLE refresh_family (
    id                  VARCHAR(64)   NOT NULL PRIMARY KEY,
    client_id           VARCHAR(2000) NOT NULL,
    grant_id            VARCHAR(64)   NOT NULL,
    kinde_subject       VARCHAR(200)  NOT NULL,
    identity_json       VARCHAR(8000) NOT NULL,
    scope               VARCHAR(1000) NOT NULL,
    resource            VARCHAR(2000) NOT NULL,
    code_hash           VARCHAR(64),
    created_at          BIGINT        NOT NULL,
    absolute_expires_at BIGINT        NOT NULL,
    revoked_at          BIGINT
);
CREATE INDEX refresh_family_code ON refresh_family (code_hash);
CREATE INDEX refresh_family_client ON refresh_family (client_id);

-- Refresh tokens by SHA-256 hash. A rotated token keeps its successor pair (access and refresh token),
-- encrypted, so that a retry within the grace window gets the same answer.
CREATE TABLE refresh_token (
    token_hash      VARCHAR(64)    NOT NULL PRIMARY KEY,
    family_id       VARCHAR(64)    NOT NULL,
    created_at      BIGINT         NOT NULL,
    idle_expires_at BIGINT         NOT NULL,
    rotated_at      BIGINT,
    successor_enc   VARCHAR(16000)
);
CREATE INDEX refresh_token_family ON refresh_token (family_id);
