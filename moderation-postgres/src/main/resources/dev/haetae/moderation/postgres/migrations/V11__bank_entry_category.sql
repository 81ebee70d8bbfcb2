-- An entry's own category and the reason it was banked (SharedBank.add with an entry category):
-- the engine's platform bank holds content removed for different harms, and a match on any
-- instance must claim the harm its own entry was banked for, not the bank's category. Null for an
-- entry without a category of its own (it matches with its bank's). The change feed carries both,
-- so followers apply them with the entry; a new category or reason for an active entry is a change.
ALTER TABLE hash_bank_entry ADD COLUMN category text, ADD COLUMN reason text;
ALTER TABLE hash_bank_change ADD COLUMN category text, ADD COLUMN reason text;
