-- The outbox of the decision log (EngineLog): for each decision record written with its effects,
-- the decision with the host's raw ids and text, inserted in the same transaction as the record, so
-- that both commit or neither. The engine deletes an entry once it has applied the decision's
-- effects and handed it to the action executor (in batches, with its next write: a deletion lost in
-- a crash only means the decision is carried out again, which its idempotent effects allow). An
-- engine started on the shard carries out what is left (ModerationEngine.recover()).
--
-- Raw ids stay here only until then; the log itself holds pseudonyms. Keep the table as private as
-- the stores.

CREATE TABLE decision_log_outbox (
  shard       text        NOT NULL,
  seq         bigint      NOT NULL,
  decision_id text        NOT NULL,
  entry       bytea       NOT NULL,   -- RecordFormat.outboxEntry: UTF-8 JSON
  written_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shard, seq)
);

COMMENT ON TABLE decision_log_outbox IS
  'Haetae decision log outbox: decisions logged but not yet carried out, with raw ids; deleted once carried out';
