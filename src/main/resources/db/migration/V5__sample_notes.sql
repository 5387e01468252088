-- The sample in-house tool API (dev.kindemcp.bridge.tools): notes, each owned by one Kinde organisation.
CREATE TABLE sample_note (
    id          VARCHAR(36)   NOT NULL PRIMARY KEY,
    org_code    VARCHAR(64)   NOT NULL,
    author      VARCHAR(128)  NOT NULL,
    text        VARCHAR(2000) NOT NULL,
    created_at  BIGINT        NOT NULL
);
CREATE INDEX sample_note_org_created ON sample_note (org_code, created_at);
