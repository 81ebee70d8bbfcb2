-- Legal obligations (ObligationStore) and evidence holds (EvidenceHoldStore).
-- Instants are timestamptz (kept to the microsecond); durations are ISO-8601 text (exact); ids are
-- compared byte-wise (COLLATE "C"), so the order of rows never depends on the database's locale.

CREATE TABLE haetae_obligations (
  id            text COLLATE "C" PRIMARY KEY,
  seq           bigint GENERATED ALWAYS AS IDENTITY,  -- order opened, to break deadline ties
  instrument    text NOT NULL,
  citation      text NOT NULL,
  category      text NOT NULL,
  content       text COLLATE "C" NOT NULL,
  received_at   timestamptz NOT NULL,
  deadline      timestamptz NOT NULL,
  duties        text[] NOT NULL,
  preserve_for  text NOT NULL,
  status        text NOT NULL CHECK (status IN ('OPEN', 'BREACHED', 'FULFILLED', 'CLOSED')),
  next_check    timestamptz NOT NULL,
  escalations   integer NOT NULL,
  closed_at     timestamptz
);

-- due(now, max): the open obligations by next check, so a tick costs in proportion to what is due.
CREATE INDEX haetae_obligations_due ON haetae_obligations (next_check, id)
  WHERE status IN ('OPEN', 'BREACHED');
-- openFor(content): the open obligations on one piece of content.
CREATE INDEX haetae_obligations_open_by_content ON haetae_obligations (content, deadline)
  WHERE status IN ('OPEN', 'BREACHED');
-- all(): for reports and compliance figures.
CREATE INDEX haetae_obligations_by_receipt ON haetae_obligations (received_at, id);

CREATE TABLE haetae_evidence_holds (
  id          text COLLATE "C" PRIMARY KEY,          -- <content id>|<basis>
  seq         bigint GENERATED ALWAYS AS IDENTITY,   -- order first placed
  content     text COLLATE "C" NOT NULL,
  basis       text NOT NULL,
  citation    text NOT NULL,
  from_at     timestamptz NOT NULL,
  until_at    timestamptz NOT NULL CHECK (until_at >= from_at),
  expired_at  timestamptz
);

-- expire(now) and active(now): the holds not yet expired, by end.
CREATE INDEX haetae_evidence_holds_pending ON haetae_evidence_holds (until_at, id)
  WHERE expired_at IS NULL;
-- mayDelete / heldUntil / on(content).
CREATE INDEX haetae_evidence_holds_by_content ON haetae_evidence_holds (content, seq);
