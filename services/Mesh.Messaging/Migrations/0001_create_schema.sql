COMMENT ON SCHEMA messaging IS 'Mesh.Messaging: outbound and inbound Mesh Messages, the relay outbox and delivery state.';
