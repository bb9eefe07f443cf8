-- DropIndex
DROP INDEX "JournalEntry_entityType_entityId_seq_idx";

-- CreateIndex
CREATE INDEX "JournalEntry_entityId_seq_idx" ON "JournalEntry"("entityId", "seq");
