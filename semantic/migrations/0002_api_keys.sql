-- API keys for `readout serve`. Only a salted SHA-256 of each secret is stored;
-- the key itself is printed once by `readout keys create`. No role may query
-- this table (it is described in semantic/contract/assets/api_keys.yml as denied).
CREATE TABLE api_keys (
    key_id      TEXT PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL UNIQUE,
    role        TEXT NOT NULL,
    salt        TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
);
