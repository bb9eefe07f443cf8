-- DropIndex
DROP INDEX "Dispute_assignedMediatorId_stage_idx";

-- DropIndex
DROP INDEX "Milestone_projectId_idx";

-- CreateIndex
CREATE INDEX "Dispute_stage_assignedMediatorId_deadlineAt_idx" ON "Dispute"("stage", "assignedMediatorId", "deadlineAt");

-- CreateIndex
CREATE INDEX "Milestone_projectId_state_idx" ON "Milestone"("projectId", "state");
