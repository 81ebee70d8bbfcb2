-- Open temporary measures (EngineMemory.openMeasure, claimDueMeasures): a request under an instrument
-- that provides one (Korea's Network Act Art. 44-2) blocks access until an expiry; the engine's tick
-- lifts each measure at its expiry unless a review verdict ended it first. One open measure per
-- content; a row is deleted when its measure closes (the log keeps the history). claimed_until is a
-- tick's lease, so that engines sharing the schema lift a measure once; a lapsed lease lets another
-- tick claim it. Rows are not pruned with the content: an open measure must reach its lift.
CREATE TABLE haetae_measures (
  content text PRIMARY KEY,
  decision text NOT NULL,
  instrument text NOT NULL,
  start_at timestamptz NOT NULL,
  until_at timestamptz NOT NULL,
  claimed_until timestamptz,
  CONSTRAINT haetae_measures_until_after_start CHECK (until_at > start_at)
);
CREATE INDEX haetae_measures_by_until ON haetae_measures (until_at);

-- The kinds of action a remembered decision planned (EngineMemory.DecisionMemo.actions), so that a
-- host's confirmation is checked against them when it arrives (Signal.ConfirmationCheck). Null for
-- memos written before: their confirmations read as "not recorded".
ALTER TABLE haetae_decision_memos ADD COLUMN actions text[];
