-- Hash banks shared by every instance: the entries of each bank, a per-bank change log that
-- followers read from their checkpoint, and review feedback per entry.
--
-- Writers lock the bank's row (SELECT ... FOR UPDATE) for the whole transaction and take change ids
-- from hash_bank.last_change, so a bank's change ids are dense (1, 2, 3, ...) and commit in id
-- order: a reader that sees change n also sees every change before it, and a follower can keep
-- "the last change id I applied" as its checkpoint without missing a slow transaction.
-- The entry, change and feedback tables have no foreign key to hash_bank: every writer locks the
-- bank's row in the same transaction anyway, and banks are never deleted, so the per-row checks
-- would only slow bulk imports down (about a third of an insert's time, measured).

CREATE TABLE hash_bank (
  bank_id     text PRIMARY KEY,
  category    text NOT NULL,
  last_change bigint NOT NULL DEFAULT 0,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- The current contents. Deleted entries leave this table (their deletion stays in the change log
-- so that followers delete them too); withdrawn ones stay, without their case id.
CREATE TABLE hash_bank_entry (
  bank_id   text NOT NULL,
  type      text NOT NULL CHECK (type IN ('pdq', 'md5', 'sha256', 'video_md5')),
  hash      text NOT NULL,
  state     text NOT NULL CHECK (state IN ('active', 'withdrawn')),
  added_at  timestamptz NOT NULL,
  case_id   text,
  change_id bigint NOT NULL,
  -- hash before type: feedback and batch writes look entries up by bank and hash
  PRIMARY KEY (bank_id, hash, type)
);

-- Every effective change (add or re-activation, withdrawal, deletion), in order per bank.
CREATE TABLE hash_bank_change (
  bank_id    text NOT NULL,
  change_id  bigint NOT NULL,
  type       text NOT NULL,
  hash       text NOT NULL,
  state      text NOT NULL CHECK (state IN ('active', 'withdrawn', 'deleted')),
  added_at   timestamptz,
  case_id    text,
  changed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (bank_id, change_id)
);

-- Review feedback and flood-quarantine notices per entry, from every instance. Dropped with the
-- entry when it is withdrawn or deleted.
CREATE TABLE hash_bank_feedback (
  bank_id             text NOT NULL,
  hash                text NOT NULL,
  confirmed           bigint NOT NULL DEFAULT 0,
  deconfirmed         bigint NOT NULL DEFAULT 0,
  quarantines         bigint NOT NULL DEFAULT 0,
  last_quarantined_at timestamptz,
  PRIMARY KEY (bank_id, hash)
);

-- Wakes the followers: one notification per bank and statement, on the channel hb_<schema> (cut to 63 characters, as PostgreSQL cuts identifiers), with
-- the payload "<bank id> <last change id>". PostgreSQL delivers it when the transaction commits
-- (never for a rolled-back one). A lost notification only delays a follower until its next poll.
CREATE FUNCTION hash_bank_notify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT bank_id, max(change_id) AS last FROM new_rows GROUP BY bank_id LOOP
    PERFORM pg_notify(left('hb_' || TG_TABLE_SCHEMA, 63), r.bank_id || ' ' || r.last);
  END LOOP;
  RETURN NULL;
END
$$;

CREATE TRIGGER hash_bank_change_notify
  AFTER INSERT ON hash_bank_change
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION hash_bank_notify();
