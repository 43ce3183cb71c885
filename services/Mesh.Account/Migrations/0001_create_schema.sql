COMMENT ON SCHEMA account IS 'Mesh.Account: accounts bound to this provider, the service and host profiles and their keys.';

-- The service and host key pairs. Private keys are stored only encrypted (sealed under the
-- host's key-encryption key), never in plain text.
CREATE TABLE account.service_keys (
    udf                   text PRIMARY KEY,  -- UDF fingerprint of the public key
    role                  text NOT NULL CHECK (role IN ('service', 'host')),
    algorithm             text NOT NULL,
    public_key            bytea NOT NULL,
    private_key_encrypted bytea NOT NULL,
    created_at            timestamptz NOT NULL DEFAULT now()
);
