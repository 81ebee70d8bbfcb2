-- Strikes against accounts (StrikeStore): one row per account and removed content, so that two
-- instances acting on the same removal record one strike. Instants are timestamptz (kept to the
-- microsecond); ids are compared byte-wise (COLLATE "C").

CREATE TABLE haetae_strikes (
  account     text COLLATE "C" NOT NULL,
  content     text COLLATE "C" NOT NULL,
  expires_at  timestamptz NOT NULL,
  PRIMARY KEY (account, content)
);

-- live(account, now): an account's strikes by expiry; prune(now): the expired ones.
CREATE INDEX haetae_strikes_by_expiry ON haetae_strikes (account, expires_at);
CREATE INDEX haetae_strikes_expired ON haetae_strikes (expires_at);
