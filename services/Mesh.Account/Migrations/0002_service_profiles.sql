-- Which part of which profile each key is (ProfileSignature, ServiceSignature, Signature, ...).
ALTER TABLE account.service_keys ADD COLUMN usage text NOT NULL;
ALTER TABLE account.service_keys ADD CONSTRAINT service_keys_role_usage_key UNIQUE (role, usage);

-- The signed service profile (ProfileService) and host profile (ProfileHost), one of each: the
-- primary key is what keeps two replicas starting together from keeping two different profiles.
CREATE TABLE account.service_profiles (
    role       text PRIMARY KEY CHECK (role IN ('service', 'host')),
    udf        text NOT NULL,   -- UDF of the profile's ProfileSignature key
    envelope   bytea NOT NULL,  -- the DARE envelope, JSON form
    created_at timestamptz NOT NULL DEFAULT now()
);
