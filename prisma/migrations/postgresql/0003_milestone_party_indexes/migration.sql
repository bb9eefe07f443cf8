-- The statements the schema engine wrote for SQLite's 0009, which are PostgreSQL too
-- (scripts/make-migration.mjs cannot yet diff PostgreSQL past its first migration).
-- A party's milestones page by (party, id) straight from one index per side.

-- DropIndex
DROP INDEX "Milestone_freelancerId_idx";

-- DropIndex
DROP INDEX "Milestone_clientId_idx";

-- CreateIndex
CREATE INDEX "Milestone_clientId_id_idx" ON "Milestone"("clientId", "id");

-- CreateIndex
CREATE INDEX "Milestone_freelancerId_id_idx" ON "Milestone"("freelancerId", "id");
