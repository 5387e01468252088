-- Signing keys of bridge access tokens. The private JWK is a JWE encrypted under the master key.
CREATE TABLE signing_key (
    kid             VARCHAR(64)    NOT NULL PRIMARY KEY,
    algorithm       VARCHAR(16)    NOT NULL,
    public_jwk      VARCHAR(4000)  NOT NULL,
    private_jwk_enc VARCHAR(16000) NOT NULL,
    created_at      BIGINT         NOT NULL,
    activates_at    BIGINT         NOT NULL
);
CREATE INDEX signing_key_activates_at ON signing_key (activates_at);

-- One row per cluster-wide critical section (SELECT ... FOR UPDATE), e.g. key rotation.
CREATE TABLE bridge_lock (
    name VARCHAR(64) NOT NULL PRIMARY KEY
);
INSERT INTO bridge_lock (name) VALUES ('signing-keys');
