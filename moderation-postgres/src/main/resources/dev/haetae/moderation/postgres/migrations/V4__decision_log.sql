-- The decision log: one hash chain per shard, in the decision log's own record format (each row's
-- `record` is the exact line the file log would write, so the audit tools can verify and replay an
-- export). Writers lock the shard's head row, chain their batch onto it, insert the records and move
-- the head, all in one transaction.
--
-- The database itself refuses gaps and forks, whoever writes: at COMMIT every new record must follow
-- the record before it (same shard, seq - 1, whose hash is the new record's prev; seq 0 follows 64
-- zeros) and be covered by the head row, and the head must point at the last record. Records cannot
-- be updated or deleted; the head only moves forward.

CREATE TABLE decision_log_head (
  shard      text        PRIMARY KEY,
  next_seq   bigint      NOT NULL CHECK (next_seq >= 0),
  last_hash  text        NOT NULL CHECK (last_hash ~ '^[0-9a-f]{64}$'),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE decision_log (
  shard       text        NOT NULL,
  seq         bigint      NOT NULL CHECK (seq >= 0),
  prev        text        NOT NULL CHECK (prev ~ '^[0-9a-f]{64}$'),
  hash        text        NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
  decision_id text        NOT NULL,
  record      bytea       NOT NULL,
  written_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shard, seq)
);

COMMENT ON TABLE decision_log IS
  'Haetae decision log records, one hash chain per shard; record is the UTF-8 JSON line of the file log format';

CREATE FUNCTION decision_log_check_record() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  IF NEW.seq = 0 THEN
    IF NEW.prev <> repeat('0', 64) THEN
      RAISE EXCEPTION 'decision log shard %: record 0 must follow the genesis hash', NEW.shard
        USING ERRCODE = 'integrity_constraint_violation';
    END IF;
  ELSIF NOT EXISTS (SELECT 1 FROM decision_log
                     WHERE shard = NEW.shard AND seq = NEW.seq - 1 AND hash = NEW.prev) THEN
    RAISE EXCEPTION 'decision log shard %: record % does not follow record % (gap or fork)',
      NEW.shard, NEW.seq, NEW.seq - 1
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM decision_log_head WHERE shard = NEW.shard AND next_seq > NEW.seq) THEN
    RAISE EXCEPTION 'decision log shard %: record % was inserted without moving the head row past it',
      NEW.shard, NEW.seq
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NULL;
END $$;

-- Deferred to COMMIT, so that a batch may be inserted by one statement in any order.
CREATE CONSTRAINT TRIGGER decision_log_chained
  AFTER INSERT ON decision_log DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION decision_log_check_record();

-- Checks the head as it is at COMMIT (a deferred event carries the row as it was when queued, and
-- the head row of a new shard is inserted and then moved in the same transaction).
CREATE FUNCTION decision_log_check_head() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
  head decision_log_head%ROWTYPE;
BEGIN
  SELECT * INTO head FROM decision_log_head WHERE shard = NEW.shard;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  IF head.next_seq = 0 THEN
    IF head.last_hash <> repeat('0', 64) THEN
      RAISE EXCEPTION 'decision log shard %: an empty shard''s head must hold the genesis hash', head.shard
        USING ERRCODE = 'integrity_constraint_violation';
    END IF;
  ELSIF NOT EXISTS (SELECT 1 FROM decision_log
                     WHERE shard = head.shard AND seq = head.next_seq - 1 AND hash = head.last_hash) THEN
    RAISE EXCEPTION 'decision log shard %: the head does not point at record %', head.shard, head.next_seq - 1
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF EXISTS (SELECT 1 FROM decision_log WHERE shard = head.shard AND seq = head.next_seq) THEN
    RAISE EXCEPTION 'decision log shard %: the head is behind record %', head.shard, head.next_seq
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER decision_log_head_points_at_last
  AFTER INSERT OR UPDATE ON decision_log_head DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION decision_log_check_head();

CREATE FUNCTION decision_log_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'decision_log_head' AND TG_OP = 'UPDATE' THEN
    IF NEW.shard = OLD.shard AND NEW.next_seq >= OLD.next_seq THEN
      RETURN NEW;
    END IF;
    RAISE EXCEPTION 'decision log shard %: the head only moves forward', OLD.shard
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RAISE EXCEPTION 'the decision log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'integrity_constraint_violation';
END $$;

CREATE TRIGGER decision_log_append_only
  BEFORE UPDATE OR DELETE ON decision_log
  FOR EACH ROW EXECUTE FUNCTION decision_log_refuse_change();
CREATE TRIGGER decision_log_no_truncate
  BEFORE TRUNCATE ON decision_log
  FOR EACH STATEMENT EXECUTE FUNCTION decision_log_refuse_change();
CREATE TRIGGER decision_log_head_forward_only
  BEFORE UPDATE OR DELETE ON decision_log_head
  FOR EACH ROW EXECUTE FUNCTION decision_log_refuse_change();
CREATE TRIGGER decision_log_head_no_truncate
  BEFORE TRUNCATE ON decision_log_head
  FOR EACH STATEMENT EXECUTE FUNCTION decision_log_refuse_change();
