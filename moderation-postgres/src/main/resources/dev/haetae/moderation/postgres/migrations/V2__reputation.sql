-- Reporter reputation (ReputationStore): one row per reporter, and the reports on each target.
-- Instants are timestamptz (kept to the microsecond); ids are compared byte-wise (COLLATE "C"), so
-- the order of rows never depends on the database's locale. Every change of a reporter row runs under
-- SELECT ... FOR UPDATE on that row; every change of a target's reports runs under FOR UPDATE on the
-- target's row in haetae_report_targets, so instances never lose each other's updates.

CREATE TABLE haetae_reporters (
  reporter         text COLLATE "C" PRIMARY KEY,
  account_created  timestamptz,
  trusted_flagger  boolean NOT NULL,
  confirmed        double precision NOT NULL CHECK (confirmed >= 0),
  rejected         double precision NOT NULL CHECK (rejected >= 0),
  updated_at       timestamptz NOT NULL,
  warnings         integer NOT NULL CHECK (warnings >= 0),
  suspended_until  timestamptz,
  -- rooms joined, most recent last: [{"room": "...", "joined_at": "2026-11-21T10:00:00Z"}, ...]
  rooms            jsonb NOT NULL DEFAULT '[]',
  -- rejected (manifestly unfounded) reports since the last misuse step, oldest first:
  -- ["2026-11-21T10:00:00Z", ...]
  unfounded        jsonb NOT NULL DEFAULT '[]',
  warned_at        timestamptz
);

-- One row per target that has ever had a report: the lock that serialises changes of its reports.
CREATE TABLE haetae_report_targets (
  target_kind  text COLLATE "C" NOT NULL,
  target_id    text COLLATE "C" NOT NULL,
  PRIMARY KEY (target_kind, target_id)
);

-- The reports on a target, in list order (position 0 is the oldest).
CREATE TABLE haetae_reports (
  target_kind  text COLLATE "C" NOT NULL,
  target_id    text COLLATE "C" NOT NULL,
  position     integer NOT NULL,
  reporter     text COLLATE "C" NOT NULL,
  category     text NOT NULL,
  at           timestamptz NOT NULL,
  status       text NOT NULL CHECK (status IN ('PENDING', 'CONFIRMED', 'REJECTED', 'UNPROCESSED')),
  decision     text,
  PRIMARY KEY (target_kind, target_id, position),
  FOREIGN KEY (target_kind, target_id) REFERENCES haetae_report_targets (target_kind, target_id)
);

-- Who reported what (for a host's data-access requests and for operators).
CREATE INDEX haetae_reports_by_reporter ON haetae_reports (reporter);
