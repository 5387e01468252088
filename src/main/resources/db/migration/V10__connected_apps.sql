-- Connected apps (issue 15.4): a Kinde user's sign-in to the bridge's own account page. The cookie's value is
-- stored as a SHA-256 hash; the page's CSRF token is derived from it. Rows live 30 minutes.
CREATE TABLE account_session (
    id_hash       VARCHAR(64)  NOT NULL PRIMARY KEY,
    kinde_user_id VARCHAR(200) NOT NULL,
    org_code      VARCHAR(200),
    operator      BOOLEAN      NOT NULL,
    created_at    BIGINT       NOT NULL,
    expires_at    BIGINT       NOT NULL
);
CREATE INDEX account_session_expires_at ON account_session (expires_at);

-- A user's grants and approvals, listed and revoked on the account page and by the admin API.
CREATE INDEX refresh_family_subject ON refresh_family (kinde_subject);
