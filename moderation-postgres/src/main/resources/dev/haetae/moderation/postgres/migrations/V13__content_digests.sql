-- Identical copies by digest (EngineMemory.identicalCopies): a notice under an instrument that
-- requires removing identical copies (US TAKE IT DOWN) finds the content posted earlier with the same
-- SHA-256 or MD5. The digests are the columns haetae_content has held since V9, so nothing new is
-- stored: digests only, no media, kept and pruned with the content row
-- (HaetaePostgres.pruneEngineMemory). Partial indexes: content known only by a PDQ hash is not in them.
-- (V12 is left to the decision log's partitioning work.)
CREATE INDEX haetae_content_by_sha256 ON haetae_content (sha256) WHERE sha256 IS NOT NULL;
CREATE INDEX haetae_content_by_md5 ON haetae_content (md5) WHERE md5 IS NOT NULL;
