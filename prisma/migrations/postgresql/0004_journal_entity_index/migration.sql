-- The statements the schema engine wrote for SQLite's 0010, which are PostgreSQL too
-- (scripts/make-migration.mjs cannot yet diff PostgreSQL past its first migration).
-- Entries are looked up by entity id alone (a case's timeline, a reviewer's filter, the
-- milestone as of a moment): with the type leading the index, those read the whole journal.

-- DropIndex
DROP INDEX "JournalEntry_entityType_entityId_seq_idx";

-- CreateIndex
CREATE INDEX "JournalEntry_entityId_seq_idx" ON "JournalEntry"("entityId", "seq");
