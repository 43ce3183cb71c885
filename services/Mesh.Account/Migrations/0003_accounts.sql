-- User accounts bound by BindAccount (protocol -09 §7.2, §10.6). An address has at most one row
-- that is 'binding' or 'bound' (the partial unique index); unbound rows stay as history.
-- 'binding': the row is claimed and the stores are being created; never visible as an account.
CREATE TABLE account.accounts (
    account_id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    address          text        NOT NULL CHECK (address = lower(address)),
    account_udf      text        NOT NULL,  -- UDF of the ProfileUser's ProfileSignature key
    profile_envelope bytea       NOT NULL,  -- the EnvelopedProfileAccount as bound (JSON form)
    state            text        NOT NULL CHECK (state IN ('binding', 'bound', 'unbound')),
    created_at       timestamptz NOT NULL DEFAULT now(),
    bound_at         timestamptz,
    unbound_at       timestamptz,
    CONSTRAINT accounts_unbound_time CHECK ((state = 'unbound') = (unbound_at IS NOT NULL))
);

CREATE UNIQUE INDEX accounts_live_address ON account.accounts (address) WHERE state IN ('binding', 'bound');

-- Addresses retired by UnbindAccount under the Retire policy: never bound again.
CREATE TABLE account.retired_addresses (
    address     text PRIMARY KEY CHECK (address = lower(address)),
    account_udf text        NOT NULL,  -- the last account that held it
    retired_at  timestamptz NOT NULL DEFAULT now()
);
