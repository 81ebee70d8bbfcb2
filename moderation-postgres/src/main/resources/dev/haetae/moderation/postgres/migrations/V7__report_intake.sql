-- Report intake under adaptive attack (reputation model beta-v3): what the model keeps besides the
-- counts. On a reporter's row, their recent reports and the reports received against their content
-- and account (each a JSON list of {"target_kind", "target_id", "reporter", "category", "at",
-- "proven"}, oldest first), and the ids of the latest decisions whose effects the row holds (so that
-- applying a decision again after a crash changes nothing). On a report's row, the decision that took
-- it in and whether the reporter said it is about themselves.

ALTER TABLE haetae_reporters
  ADD COLUMN reported jsonb NOT NULL DEFAULT '[]',
  ADD COLUMN received jsonb NOT NULL DEFAULT '[]',
  ADD COLUMN applied  jsonb NOT NULL DEFAULT '[]';

ALTER TABLE haetae_reports
  ADD COLUMN filed_by    text,
  ADD COLUMN first_party boolean NOT NULL DEFAULT false,
  ADD COLUMN resolved_by text;
