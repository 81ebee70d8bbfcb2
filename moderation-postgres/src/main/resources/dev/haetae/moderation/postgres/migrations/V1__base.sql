-- Haetae's PostgreSQL schema, version 1: the schema-history table is created by the migration
-- runner itself. This script records the module's identity so that an operator can see which
-- library created the schema.
CREATE TABLE haetae_meta (
  key   text PRIMARY KEY,
  value text NOT NULL
);
INSERT INTO haetae_meta(key, value) VALUES ('created_by', 'haetae moderation-postgres');
