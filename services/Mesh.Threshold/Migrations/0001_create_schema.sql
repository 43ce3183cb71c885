COMMENT ON SCHEMA threshold IS 'Mesh.Threshold: the service''s key shares for threshold operations.';
