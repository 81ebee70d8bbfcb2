-- The engine's memory (EngineMemory), shared by every instance on the schema: what was posted and
-- whether it was removed, what each decision did, appeal links, restricted items per room, and the
-- profile photos their owners protected. Instants are timestamptz (kept to the microsecond); ids are
-- compared byte-wise (COLLATE "C"). Every write is one idempotent statement (or one transaction),
-- so a plan applied twice, by one instance after a crash or by two instances, leaves one row.
-- HaetaePostgres.pruneEngineMemory(before) deletes what was last written before an instant.

-- One row per content the engine saw or acted on. The posted item (fingerprints, poster, room,
-- space) is present when poster is not null.
CREATE TABLE haetae_content (
  content          text COLLATE "C" PRIMARY KEY,
  sha256           text,
  md5              text,
  pdq              text,
  pdq_quality      integer,
  pdq_variants     text[],
  poster           text COLLATE "C",
  room             text COLLATE "C",
  surface          text,
  removed_at       timestamptz,
  strike_deferred  boolean NOT NULL DEFAULT false,
  block_copies     text,                      -- the category to bank copies under once seen
  updated_at       timestamptz NOT NULL DEFAULT now(),
  CHECK ((poster IS NULL) = (surface IS NULL))
);
CREATE INDEX haetae_content_by_update ON haetae_content (updated_at);

-- Platform-bank entries (lower-case hex) of content an appeal reinstated: their matches are ignored
-- until the content is banked again.
CREATE TABLE haetae_reinstated_entries (
  entry          text COLLATE "C" PRIMARY KEY,
  reinstated_at  timestamptz NOT NULL DEFAULT now()
);

-- What each decision did, for an appeal against it; written once per decision.
CREATE TABLE haetae_decision_memos (
  decision     text COLLATE "C" PRIMARY KEY,
  content      text COLLATE "C" NOT NULL,
  account      text COLLATE "C",
  instrument   text,
  category     text NOT NULL,
  restrictive  boolean NOT NULL,
  strike_at    timestamptz,
  at           timestamptz NOT NULL
);
CREATE INDEX haetae_decision_memos_by_time ON haetae_decision_memos (at);

-- The decision an appeal's review obligation is about; written once per obligation.
CREATE TABLE haetae_appeal_links (
  obligation  text COLLATE "C" PRIMARY KEY,
  appeal_id   text NOT NULL,
  decision    text COLLATE "C" NOT NULL,
  content     text COLLATE "C" NOT NULL,
  linked_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX haetae_appeal_links_by_time ON haetae_appeal_links (linked_at);

-- Restricted, bank-matching items per room, counted once per room and content.
CREATE TABLE haetae_room_matches (
  room     text COLLATE "C" NOT NULL,
  content  text COLLATE "C" NOT NULL,
  at       timestamptz NOT NULL,
  PRIMARY KEY (room, content)
);
CREATE INDEX haetae_room_matches_by_time ON haetae_room_matches (room, at);
CREATE INDEX haetae_room_matches_expired ON haetae_room_matches (at);

-- Protected profile photos and their owners. The hashes themselves are the entries of the bank
-- 'haetae.protected-photos' (hash_bank tables), which every instance follows into an in-memory PDQ
-- index; a match is then looked up here by hash. A writer locks that bank's row first, so that a
-- hash leaves the bank only when no owner protects it any more.
CREATE TABLE haetae_protected_photos (
  owner         text COLLATE "C" NOT NULL,
  photo         text COLLATE "C" NOT NULL,
  hash          text NOT NULL,
  protected_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (owner, photo)
);
CREATE INDEX haetae_protected_photos_by_hash ON haetae_protected_photos (hash);
