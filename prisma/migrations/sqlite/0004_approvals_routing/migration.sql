-- CreateTable
CREATE TABLE "SplitApproval" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "disputeId" TEXT NOT NULL,
    "proposedById" TEXT NOT NULL,
    "freelancerShareMinor" BIGINT NOT NULL,
    "clientShareMinor" BIGINT NOT NULL,
    "reason" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "decidedById" TEXT,
    "decidedAt" DATETIME,
    "decisionReason" TEXT,
    "version" INTEGER NOT NULL
);

-- CreateTable
CREATE TABLE "OperatorConflict" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "operatorId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Dispute" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "marketplaceId" TEXT NOT NULL,
    "milestoneId" TEXT NOT NULL,
    "filerId" TEXT NOT NULL,
    "filerRole" TEXT NOT NULL,
    "respondentId" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "freelancerId" TEXT NOT NULL,
    "searchText" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "languages" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "claimMinor" BIGINT NOT NULL,
    "disputedMinor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "outcome" TEXT,
    "deadlineAt" DATETIME,
    "arbitrationFeeMinor" BIGINT NOT NULL,
    "clientFeePaid" BOOLEAN NOT NULL,
    "freelancerFeePaid" BOOLEAN NOT NULL,
    "assignedMediatorId" TEXT,
    "decidedById" TEXT,
    "decisionReason" TEXT,
    "freelancerShareMinor" BIGINT,
    "clientShareMinor" BIGINT,
    "openedAt" DATETIME NOT NULL,
    "closedAt" DATETIME,
    "version" INTEGER NOT NULL
);
INSERT INTO "new_Dispute" ("arbitrationFeeMinor", "assignedMediatorId", "claimMinor", "clientFeePaid", "clientId", "clientShareMinor", "closedAt", "currency", "deadlineAt", "decidedById", "decisionReason", "disputedMinor", "filerId", "filerRole", "freelancerFeePaid", "freelancerId", "freelancerShareMinor", "id", "marketplaceId", "milestoneId", "openedAt", "outcome", "reason", "respondentId", "searchText", "stage", "version") SELECT "arbitrationFeeMinor", "assignedMediatorId", "claimMinor", "clientFeePaid", "clientId", "clientShareMinor", "closedAt", "currency", "deadlineAt", "decidedById", "decisionReason", "disputedMinor", "filerId", "filerRole", "freelancerFeePaid", "freelancerId", "freelancerShareMinor", "id", "marketplaceId", "milestoneId", "openedAt", "outcome", "reason", "respondentId", "searchText", "stage", "version" FROM "Dispute";
DROP TABLE "Dispute";
ALTER TABLE "new_Dispute" RENAME TO "Dispute";
CREATE INDEX "Dispute_milestoneId_idx" ON "Dispute"("milestoneId");
CREATE INDEX "Dispute_stage_deadlineAt_idx" ON "Dispute"("stage", "deadlineAt");
CREATE INDEX "Dispute_stage_openedAt_id_idx" ON "Dispute"("stage", "openedAt", "id");
CREATE INDEX "Dispute_stage_disputedMinor_id_idx" ON "Dispute"("stage", "disputedMinor", "id");
CREATE INDEX "Dispute_assignedMediatorId_stage_idx" ON "Dispute"("assignedMediatorId", "stage");
CREATE INDEX "Dispute_outcome_category_disputedMinor_idx" ON "Dispute"("outcome", "category", "disputedMinor");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "SplitApproval_status_createdAt_idx" ON "SplitApproval"("status", "createdAt");

-- CreateIndex
CREATE INDEX "SplitApproval_disputeId_idx" ON "SplitApproval"("disputeId");

-- CreateIndex
CREATE UNIQUE INDEX "OperatorConflict_operatorId_userId_key" ON "OperatorConflict"("operatorId", "userId");
