-- The decision log, range-partitioned on (shard, seq): each partition holds one shard's records
-- seq first_seq .. end_seq - 1, a fixed number of records (haetae_meta
-- 'decision_log_partition_records', default 1,000,000; changed by the owner, it applies to the
-- partitions created after). Sequence ranges, not time, because the primary key (shard, seq) that
-- refuses forks must contain the partition key, and because a range of one shard's sequence numbers
-- is exactly a whole head of its hash chain: retention then drops whole partitions (after a signed
-- prune record in decision_log_prune), never rows. How old a partition is, is read from its records.
--
-- Partitions are created ahead of the head by decision_log_add_partitions (SECURITY DEFINER, owned
-- by the migration owner, callable by the application role): CREATE TABLE, then ATTACH PARTITION,
-- which takes only a SHARE UPDATE EXCLUSIVE lock on decision_log, so writers of any shard go on
-- inserting meanwhile. Only the owner detaches and drops partitions. The triggers of V4 are
-- recreated on the partitioned table, which puts them on every partition, and each partition gets
-- its own TRUNCATE trigger.
--
-- Existing records are copied, byte for byte, into partitions of their shard; the old table is then
-- dropped.

ALTER TABLE decision_log RENAME TO decision_log_v11;
ALTER INDEX decision_log_pkey RENAME TO decision_log_v11_pkey;

CREATE TABLE decision_log (
  shard       text        NOT NULL,
  seq         bigint      NOT NULL CHECK (seq >= 0),
  prev        text        NOT NULL CHECK (prev ~ '^[0-9a-f]{64}$'),
  hash        text        NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
  decision_id text        NOT NULL,
  record      bytea       NOT NULL,
  written_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shard, seq)
) PARTITION BY RANGE (shard, seq);

COMMENT ON TABLE decision_log IS
  'Haetae decision log records, one hash chain per shard, partitioned by (shard, seq) range; record is the UTF-8 JSON line of the file log format';

INSERT INTO haetae_meta(key, value) VALUES ('decision_log_partition_records', '1000000');

-- One row per attached partition of decision_log. Written only by the functions below and by the
-- owner's prune.
CREATE TABLE decision_log_partition (
  shard      text        NOT NULL,
  first_seq  bigint      NOT NULL CHECK (first_seq >= 0),
  end_seq    bigint      NOT NULL,
  table_name text        NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shard, first_seq),
  CHECK (end_seq > first_seq)
);

-- Signed prune records (the file log's prunes.jsonl lines, format haetae-prune-v1) and the public
-- keys that sign them (keys.jsonl lines), per shard.
CREATE TABLE decision_log_prune (
  shard     text        NOT NULL,
  first_seq bigint      NOT NULL CHECK (first_seq >= 0),
  last_seq  bigint      NOT NULL,
  line      bytea       NOT NULL,
  pruned_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shard, first_seq),
  CHECK (last_seq >= first_seq)
);

CREATE TABLE decision_log_key (
  shard text  NOT NULL,
  kid   text  NOT NULL,
  line  bytea NOT NULL,
  PRIMARY KEY (shard, kid)
);

-- Creates the partitions of a shard that are missing up to its head's next seq plus p_ahead
-- (at most 100000), and returns the end (exclusive) of the shard's last partition.
CREATE FUNCTION decision_log_add_partitions(p_shard text, p_ahead bigint) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
  size      bigint;
  head_next bigint;
  next_from bigint;
  tbl       text;
BEGIN
  IF p_shard IS NULL OR p_shard !~ '^[A-Za-z0-9._:-]{1,100}$' THEN
    RAISE EXCEPTION 'decision log partitions: % is not a shard name', p_shard
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_ahead IS NULL OR p_ahead < 0 OR p_ahead > 100000 THEN
    RAISE EXCEPTION 'decision log partitions: ahead must be 0..100000, got %', p_ahead
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  PERFORM pg_advisory_xact_lock(hashtext('haetae.partitions.' || current_schema() || '.' || p_shard));
  SELECT value::bigint INTO size FROM haetae_meta WHERE key = 'decision_log_partition_records';
  IF size IS NULL OR size < 1 THEN
    RAISE EXCEPTION 'decision log partitions: haetae_meta decision_log_partition_records must be 1 or more'
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  SELECT coalesce(max(next_seq), 0) INTO head_next FROM decision_log_head WHERE shard = p_shard;
  SELECT coalesce(max(end_seq), 0) INTO next_from FROM decision_log_partition WHERE shard = p_shard;
  WHILE next_from <= head_next + p_ahead LOOP
    tbl := 'decision_log_' || substr(md5(p_shard), 1, 12) || '_' || next_from;
    EXECUTE format('CREATE TABLE %I (LIKE decision_log INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', tbl);
    EXECUTE format('CREATE TRIGGER decision_log_no_truncate BEFORE TRUNCATE ON %I'
        || ' FOR EACH STATEMENT EXECUTE FUNCTION decision_log_refuse_change()', tbl);
    EXECUTE format('ALTER TABLE decision_log ATTACH PARTITION %I FOR VALUES FROM (%L, %s) TO (%L, %s)',
        tbl, p_shard, next_from, p_shard, next_from + size);
    INSERT INTO decision_log_partition(shard, first_seq, end_seq, table_name)
      VALUES (p_shard, next_from, next_from + size, tbl);
    next_from := next_from + size;
  END LOOP;
  RETURN next_from;
END $$;

REVOKE ALL ON FUNCTION decision_log_add_partitions(text, bigint) FROM PUBLIC;

-- Partitions for the records already there, then the records themselves.
DO $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT shard FROM decision_log_head ORDER BY shard LOOP
    PERFORM decision_log_add_partitions(r.shard, 0);
  END LOOP;
END $$;

INSERT INTO decision_log(shard, seq, prev, hash, decision_id, record, written_at)
  SELECT shard, seq, prev, hash, decision_id, record, written_at FROM decision_log_v11 ORDER BY shard, seq;

DROP TABLE decision_log_v11;

-- The triggers of V4, now on every partition (the functions are unchanged).
CREATE CONSTRAINT TRIGGER decision_log_chained
  AFTER INSERT ON decision_log DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION decision_log_check_record();
CREATE TRIGGER decision_log_append_only
  BEFORE UPDATE OR DELETE ON decision_log
  FOR EACH ROW EXECUTE FUNCTION decision_log_refuse_change();
CREATE TRIGGER decision_log_no_truncate
  BEFORE TRUNCATE ON decision_log
  FOR EACH STATEMENT EXECUTE FUNCTION decision_log_refuse_change();
