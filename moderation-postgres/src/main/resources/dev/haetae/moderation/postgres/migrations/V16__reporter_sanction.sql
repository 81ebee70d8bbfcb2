-- A reporter's misuse case that waits for a person (ReporterRecord.sanction): the logged decision
-- that opened the state (the proposal to suspend, or the confirmation that suspended) and the state
-- (proposed, suspended, appealed). Both null when no case is open, as for every row written before.
-- (V14 and V15 are left to work on other branches.)
ALTER TABLE haetae_reporters ADD COLUMN sanction_decision text, ADD COLUMN sanction_state text;
ALTER TABLE haetae_reporters ADD CONSTRAINT haetae_reporters_sanction_both
  CHECK ((sanction_decision IS NULL) = (sanction_state IS NULL));
