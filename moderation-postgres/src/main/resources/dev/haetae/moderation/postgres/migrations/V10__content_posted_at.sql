-- When the engine first saw each posted item (EngineMemory.Posted.at): a report's platform-bank
-- match is weighed against it (was the content posted before the entry was added?). Null for
-- content remembered before this migration; a later write keeps the earliest instant.
ALTER TABLE haetae_content ADD COLUMN posted_at timestamptz;
