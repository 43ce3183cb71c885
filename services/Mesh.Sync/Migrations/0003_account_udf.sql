-- The account (ProfileUser UDF) each store was created for (ADR 0005 "Principal"): a principal
-- naming another account UDF (a ticket outliving an unbind and a re-bind of the address) is refused.
-- Stores made before this column existed get '' and match no principal.
ALTER TABLE sync.store ADD COLUMN account_udf text NOT NULL DEFAULT '';
ALTER TABLE sync.store ALTER COLUMN account_udf DROP DEFAULT;
