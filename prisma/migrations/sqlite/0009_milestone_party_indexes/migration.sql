-- DropIndex
DROP INDEX "Milestone_freelancerId_idx";

-- DropIndex
DROP INDEX "Milestone_clientId_idx";

-- CreateIndex
CREATE INDEX "Milestone_clientId_id_idx" ON "Milestone"("clientId", "id");

-- CreateIndex
CREATE INDEX "Milestone_freelancerId_id_idx" ON "Milestone"("freelancerId", "id");
