-- The keyed pseudonym ("<key id>:<pseudonym>", made with the decision log's pseudonymizer for kind
-- "account") of the account whose removed content an entry of the engine's platform bank came from
-- (SharedBank.add with an uploader). Never a raw account id. Null for entries banked by a host or
-- before this migration: a report-path match of them keeps the posting-time rule. An entry keeps the
-- first uploader recorded for it; the change feed carries it, so followers apply it with the entry.
ALTER TABLE hash_bank_entry ADD COLUMN uploader text;
ALTER TABLE hash_bank_change ADD COLUMN uploader text;

-- The engine rebuilds its index of waiting reports from the pending, unresolved reports on its first
-- tick (ReputationStore.pendingReports), so that after a restart, or on another instance, a waiting
-- report is still re-checked within its bound: a partial index keeps that one query off the whole table.
CREATE INDEX haetae_reports_pending ON haetae_reports (at) WHERE status = 'PENDING' AND resolved_by IS NULL;
