-- Replay table of ADR 0005: one row per authenticated request seen, keyed by (kid, EnvelopeId), shared
-- by every gateway replica. Unlogged: losing it in a crash only reopens the Created window, which the
-- window check still bounds. Rows expire after twice the window and are pruned.
CREATE UNLOGGED TABLE gateway.seen_requests (
    kid         text        NOT NULL,
    envelope_id text        NOT NULL,
    expires_at  timestamptz NOT NULL,
    PRIMARY KEY (kid, envelope_id)
);
CREATE INDEX seen_requests_expires_at ON gateway.seen_requests (expires_at);
