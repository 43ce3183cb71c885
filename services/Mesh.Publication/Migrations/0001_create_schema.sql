COMMENT ON SCHEMA publication IS 'Mesh.Publication: published envelopes and their claims (EARL).';
