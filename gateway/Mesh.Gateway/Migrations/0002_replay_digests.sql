-- Replay rows keyed by a SHA-256 digest of (kid, EnvelopeId) instead of the pair itself. A Ticket-mode
-- kid is the sealed ticket, about 600 characters, so each row and each index entry was some twenty
-- times the size its job needs (ADR 0005). The digest covers the kid's UTF-8 length (4 bytes, big
-- endian), the kid and the EnvelopeId, all UTF-8, so no two pairs share an input. Rows still in their
-- time are carried over; the table stays unlogged.
CREATE UNLOGGED TABLE gateway.seen_request_digests (
    digest     bytea       PRIMARY KEY,
    expires_at timestamptz NOT NULL
);
CREATE INDEX seen_request_digests_expires_at ON gateway.seen_request_digests (expires_at);

INSERT INTO gateway.seen_request_digests (digest, expires_at)
SELECT sha256(int4send(octet_length(convert_to(kid, 'UTF8'))) || convert_to(kid, 'UTF8') || convert_to(envelope_id, 'UTF8')), expires_at
FROM gateway.seen_requests
WHERE expires_at >= now()
ON CONFLICT DO NOTHING;

DROP TABLE gateway.seen_requests;
