-- One row per store of an account. The Merkle frontier (MerkleFrontier.ToBytes: count and the
-- roots of the perfect subtrees) is updated in the same transaction as the entries it covers,
-- so entry_count, apex and the entries never disagree.
CREATE TABLE sync.store (
    store_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account     text        NOT NULL,
    name        text        NOT NULL,
    kind        text        NOT NULL CHECK (kind IN ('catalog', 'spool')),
    entry_count bigint      NOT NULL DEFAULT 0 CHECK (entry_count >= 0),
    frontier    bytea       NOT NULL,
    apex        bytea,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT store_account_name UNIQUE (account, name),
    CONSTRAINT store_apex_when_not_empty CHECK ((entry_count = 0) = (apex IS NULL))
);

-- Append-only: one row per envelope as received (JSON envelope array), with its sequence index,
-- payload digest, apex after it, and the time the service accepted it.
CREATE TABLE sync.entry (
    store_id       bigint      NOT NULL REFERENCES sync.store (store_id) ON DELETE CASCADE,
    entry_index    bigint      NOT NULL CHECK (entry_index >= 0),
    envelope       bytea       NOT NULL,
    payload_digest bytea       NOT NULL,
    apex_digest    bytea       NOT NULL,
    received       timestamptz NOT NULL,
    PRIMARY KEY (store_id, entry_index)
);

CREATE INDEX entry_received ON sync.entry (store_id, received);

-- Entries are never changed; they only go with their store (DeleteStores).
CREATE FUNCTION sync.entry_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'sync.entry is append-only (store %, index %)', OLD.store_id, OLD.entry_index;
END $$;

CREATE TRIGGER entry_no_update BEFORE UPDATE ON sync.entry
    FOR EACH ROW EXECUTE FUNCTION sync.entry_is_append_only();

-- Public keys that may sign apex values of an account's stores; kid = UDF fingerprint of the key.
CREATE TABLE sync.apex_key (
    account    text  NOT NULL,
    kid        text  NOT NULL,
    algorithm  text  NOT NULL,
    public_key bytea NOT NULL,
    PRIMARY KEY (account, kid)
);
