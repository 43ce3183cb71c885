-- The bound account profile per address (the ProfileUser envelope, JSON, as CreateStores received
-- it) and the SHA-512 of its payload: Status returns the profile to a device whose
-- ProfileMasterDigest differs. It goes with the account's stores (DeleteStores).
CREATE TABLE sync.account_profile (
    account     text  PRIMARY KEY,
    account_udf text  NOT NULL,
    envelope    bytea NOT NULL,
    digest      bytea NOT NULL
);

-- The ContentMeta UniqueId of an entry that names one in its header (a CatalogedDevice names its
-- device UDF): Status finds the calling device's own catalog entry by it.
ALTER TABLE sync.entry ADD COLUMN unique_id text;
CREATE INDEX entry_unique_id ON sync.entry (store_id, unique_id, entry_index) WHERE unique_id IS NOT NULL;
