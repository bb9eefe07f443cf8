-- DropIndex
DROP INDEX "Dispute_stage_assignedMediatorId_deadlineAt_idx";

-- DropIndex
DROP INDEX "Dispute_stage_deadlineAt_idx";

-- CreateIndex
CREATE INDEX "Dispute_stage_deadlineAt_id_idx" ON "Dispute"("stage", "deadlineAt", "id");

-- CreateIndex
CREATE INDEX "Dispute_stage_assignedMediatorId_deadlineAt_id_idx" ON "Dispute"("stage", "assignedMediatorId", "deadlineAt", "id");
