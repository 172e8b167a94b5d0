-- API keys for `readout serve` (PostgreSQL dialect of ../0002_api_keys.sql). Only a salted
-- SHA-256 of each secret is stored. No contract role may read this table.
CREATE TABLE api_keys (
    key_id      TEXT PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL UNIQUE,
    role        TEXT NOT NULL,
    salt        TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
);
