COMMENT ON SCHEMA sync IS 'Mesh.Sync: the account stores (catalogs and spools) and their Merkle trees.';
