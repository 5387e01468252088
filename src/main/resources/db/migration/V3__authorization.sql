-- An authorization request between /authorize and the redirect back to the client: consent first, then the
-- Kinde leg. Browser cookies, CSRF tokens and the upstream state are stored as SHA-256 hashes; the PKCE
-- verifier for Kinde is encrypted under the master key. Rows live about 10 minutes.
CREATE TABLE authorization_request (
    id                    VARCHAR(64)    NOT NULL PRIMARY KEY,
    browser_hash          VARCHAR(64)    NOT NULL,
    csrf_hash             VARCHAR(64),
    client_id             VARCHAR(2000)  NOT NULL,
    redirect_uri          VARCHAR(2000)  NOT NULL,
    client_state          VARCHAR(4096),
    code_challenge        VARCHAR(128)   NOT NULL,
    scope                 VARCHAR(1000)  NOT NULL,
    resource              VARCHAR(2000)  NOT NULL,
    passthrough_json      VARCHAR(4000)  NOT NULL,
    upstream_state_hash   VARCHAR(64),
    flow_cookie_hash      VARCHAR(64),
    upstream_nonce        VARCHAR(128),
    upstream_verifier_enc VARCHAR(2000),
    status                VARCHAR(16)    NOT NULL,
    created_at            BIGINT         NOT NULL,
    expires_at            BIGINT         NOT NULL
);
CREATE UNIQUE INDEX authorization_request_upstream_state ON authorization_request (upstream_state_hash);
CREATE INDEX authorization_request_expires_at ON authorization_request (expires_at);

-- What a browser (and, after login, a Kinde user) approved for a client: the consent page is shown again
-- when the client asks for more.
CREATE TABLE consent (
    browser_hash  VARCHAR(64)   NOT NULL,
    client_id     VARCHAR(2000) NOT NULL,
    scope         VARCHAR(1000) NOT NULL,
    kinde_user_id VARCHAR(200),
    created_at    BIGINT        NOT NULL,
    updated_at    BIGINT        NOT NULL,
    PRIMARY KEY (browser_hash, client_id)
);
CREATE INDEX consent_user ON consent (kinde_user_id);
CREATE INDEX consent_client ON consent (client_id);

-- The token vault: the Kinde tokens behind one bridge grant, encrypted under the master key.
CREATE TABLE kinde_grant (
    id                VARCHAR(64)    NOT NULL PRIMARY KEY,
    kinde_subject     VARCHAR(200),
    org_code          VARCHAR(200),
    tokens_enc        VARCHAR(32000) NOT NULL,
    access_expires_at BIGINT         NOT NULL,
    created_at        BIGINT         NOT NULL,
    updated_at        BIGINT         NOT NULL
);

-- The bridge's authorization codes: single use, 60 seconds, bound to everything the request said.
CREATE TABLE authorization_code (
    code_hash      VARCHAR(64)   NOT NULL PRIMARY KEY,
    client_id      VARCHAR(2000) NOT NULL,
    redirect_uri   VARCHAR(2000) NOT NULL,
    code_challenge VARCHAR(128)  NOT NULL,
    scope          VARCHAR(1000) NOT NULL,
    resource       VARCHAR(2000) NOT NULL,
    grant_id       VARCHAR(64)   NOT NULL,
    kinde_subject  VARCHAR(200)  NOT NULL,
    org_code       VARCHAR(200),
    issued_at      BIGINT        NOT NULL,
    expires_at     BIGINT        NOT NULL,
    consumed_at    BIGINT
);
CREATE INDEX authorization_code_expires_at ON authorization_code (expires_at);
