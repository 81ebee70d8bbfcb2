-- When the engine first saw each posted item (EngineMemory.Posted.at): a report's platform-bank
-- match is weighed against it (was the content posted before the entry was added?). Null for
-- content remembered before this migration; a later write keeps the earliest instant.
ALTER TABLE haetae_content ADD COLUMN posted_at timestamptz;

-- The verdict that removed the content and asked a second, independent reviewer
-- (EngineMemory.ContentState.secondReview): its decision id and, when the host named one, its
-- reviewer, so that the engine refuses a second verdict by the same person. Cleared when a later
-- verdict answers it (dropDeferredStrike) or an appeal reinstates the content.
ALTER TABLE haetae_content ADD COLUMN second_review_of text COLLATE "C", ADD COLUMN second_review_by text COLLATE "C";
