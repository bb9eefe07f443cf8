-- CreateTable
CREATE TABLE "Marketplace" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "settingsJson" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "marketplaceId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "country" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "version" INTEGER NOT NULL,
    "flCompleted" INTEGER NOT NULL,
    "flCancelled" INTEGER NOT NULL,
    "flLost" INTEGER NOT NULL,
    "flNoFault" INTEGER NOT NULL,
    "clCompleted" INTEGER NOT NULL,
    "clCancelled" INTEGER NOT NULL,
    "clLost" INTEGER NOT NULL,
    "reviewCount" INTEGER NOT NULL,
    "ratingSum" INTEGER NOT NULL
);

-- CreateTable
CREATE TABLE "Account" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "balanceMinor" BIGINT NOT NULL
);

-- CreateTable
CREATE TABLE "Transfer" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "marketplaceId" TEXT NOT NULL,
    "debitAccountId" TEXT NOT NULL,
    "creditAccountId" TEXT NOT NULL,
    "amountMinor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "milestoneId" TEXT,
    "projectId" TEXT,
    "disputeId" TEXT,
    "commandId" TEXT NOT NULL,
    "at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Project" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "marketplaceId" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "budgetMinor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "awardedBidId" TEXT,
    "createdAt" DATETIME NOT NULL,
    "version" INTEGER NOT NULL
);

-- CreateTable
CREATE TABLE "Bid" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "freelancerId" TEXT NOT NULL,
    "amountMinor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "proposal" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "version" INTEGER NOT NULL
);

-- CreateTable
CREATE TABLE "BidMilestone" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "bidId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "description" TEXT NOT NULL,
    "amountMinor" BIGINT NOT NULL,
    "deadlineAt" DATETIME
);

-- CreateTable
CREATE TABLE "Contract" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "marketplaceId" TEXT NOT NULL,
    "projectId" TEXT,
    "bidId" TEXT,
    "clientId" TEXT NOT NULL,
    "freelancerId" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "hourlyRateMinor" BIGINT,
    "status" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "liveAt" DATETIME,
    "version" INTEGER NOT NULL
);

-- CreateTable
CREATE TABLE "Milestone" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "marketplaceId" TEXT NOT NULL,
    "projectId" TEXT,
    "contractId" TEXT,
    "clientId" TEXT NOT NULL,
    "freelancerId" TEXT,
    "description" TEXT NOT NULL,
    "amountMinor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "deadlineAt" DATETIME,
    "origin" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "priorState" TEXT,
    "cancelledBy" TEXT,
    "cancelNoFault" BOOLEAN NOT NULL,
    "fundedMinor" BIGINT NOT NULL,
    "releasedMinor" BIGINT NOT NULL,
    "refundedMinor" BIGINT NOT NULL,
    "feeMinor" BIGINT NOT NULL,
    "autoReleaseAt" DATETIME,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "version" INTEGER NOT NULL
);

-- CreateTable
CREATE TABLE "StaffCancellation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "milestoneId" TEXT NOT NULL,
    "operatorId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "amountMinor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "priorState" TEXT NOT NULL,
    "noFault" BOOLEAN NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "decidedById" TEXT,
    "decidedAt" DATETIME,
    "decisionReason" TEXT,
    "version" INTEGER NOT NULL
);

-- CreateTable
CREATE TABLE "TimeEntry" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "contractId" TEXT NOT NULL,
    "freelancerId" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "minutes" INTEGER NOT NULL,
    "memo" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "milestoneId" TEXT,
    "createdAt" DATETIME NOT NULL,
    "version" INTEGER NOT NULL
);

-- CreateTable
CREATE TABLE "Dispute" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "marketplaceId" TEXT NOT NULL,
    "milestoneId" TEXT NOT NULL,
    "filerId" TEXT NOT NULL,
    "filerRole" TEXT NOT NULL,
    "respondentId" TEXT NOT NULL,
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

-- CreateTable
CREATE TABLE "DisputeOffer" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "disputeId" TEXT NOT NULL,
    "byUserId" TEXT NOT NULL,
    "byRole" TEXT NOT NULL,
    "freelancerShareMinor" BIGINT NOT NULL,
    "at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "DisputeMessage" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "disputeId" TEXT NOT NULL,
    "authorKind" TEXT NOT NULL,
    "authorId" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "internal" BOOLEAN NOT NULL,
    "at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Evidence" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "disputeId" TEXT NOT NULL,
    "submittedById" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "mediaType" TEXT NOT NULL,
    "sizeBytes" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "note" TEXT NOT NULL,
    "at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Review" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "contractId" TEXT NOT NULL,
    "reviewerId" TEXT NOT NULL,
    "revieweeId" TEXT NOT NULL,
    "rating" INTEGER NOT NULL,
    "comment" TEXT NOT NULL,
    "at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ReputationEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "userId" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    "kind" TEXT NOT NULL,
    "milestoneId" TEXT,
    "disputeId" TEXT,
    "completionRateBps" INTEGER NOT NULL,
    "reputationScore" INTEGER NOT NULL
);

-- CreateTable
CREATE TABLE "JournalEntry" (
    "seq" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL,
    "actorKind" TEXT NOT NULL,
    "actorId" TEXT NOT NULL,
    "actorRole" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "entityType" TEXT NOT NULL,
    "entityId" TEXT NOT NULL,
    "reason" TEXT,
    "payload" TEXT NOT NULL,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "CommandLog" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "action" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "result" TEXT NOT NULL,
    "at" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "User_marketplaceId_name_idx" ON "User"("marketplaceId", "name");

-- CreateIndex
CREATE INDEX "Account_kind_currency_idx" ON "Account"("kind", "currency");

-- CreateIndex
CREATE INDEX "Transfer_debitAccountId_id_idx" ON "Transfer"("debitAccountId", "id");

-- CreateIndex
CREATE INDEX "Transfer_creditAccountId_id_idx" ON "Transfer"("creditAccountId", "id");

-- CreateIndex
CREATE INDEX "Transfer_milestoneId_id_idx" ON "Transfer"("milestoneId", "id");

-- CreateIndex
CREATE INDEX "Transfer_projectId_id_idx" ON "Transfer"("projectId", "id");

-- CreateIndex
CREATE INDEX "Project_clientId_idx" ON "Project"("clientId");

-- CreateIndex
CREATE UNIQUE INDEX "Bid_projectId_freelancerId_key" ON "Bid"("projectId", "freelancerId");

-- CreateIndex
CREATE INDEX "BidMilestone_bidId_position_idx" ON "BidMilestone"("bidId", "position");

-- CreateIndex
CREATE INDEX "Contract_clientId_idx" ON "Contract"("clientId");

-- CreateIndex
CREATE INDEX "Contract_freelancerId_idx" ON "Contract"("freelancerId");

-- CreateIndex
CREATE INDEX "Contract_projectId_idx" ON "Contract"("projectId");

-- CreateIndex
CREATE INDEX "Milestone_contractId_idx" ON "Milestone"("contractId");

-- CreateIndex
CREATE INDEX "Milestone_projectId_idx" ON "Milestone"("projectId");

-- CreateIndex
CREATE INDEX "Milestone_clientId_idx" ON "Milestone"("clientId");

-- CreateIndex
CREATE INDEX "Milestone_freelancerId_idx" ON "Milestone"("freelancerId");

-- CreateIndex
CREATE INDEX "Milestone_state_autoReleaseAt_idx" ON "Milestone"("state", "autoReleaseAt");

-- CreateIndex
CREATE INDEX "StaffCancellation_milestoneId_idx" ON "StaffCancellation"("milestoneId");

-- CreateIndex
CREATE INDEX "StaffCancellation_status_createdAt_idx" ON "StaffCancellation"("status", "createdAt");

-- CreateIndex
CREATE INDEX "TimeEntry_contractId_day_idx" ON "TimeEntry"("contractId", "day");

-- CreateIndex
CREATE INDEX "Dispute_milestoneId_idx" ON "Dispute"("milestoneId");

-- CreateIndex
CREATE INDEX "Dispute_stage_deadlineAt_idx" ON "Dispute"("stage", "deadlineAt");

-- CreateIndex
CREATE INDEX "DisputeOffer_disputeId_at_idx" ON "DisputeOffer"("disputeId", "at");

-- CreateIndex
CREATE INDEX "DisputeMessage_disputeId_at_idx" ON "DisputeMessage"("disputeId", "at");

-- CreateIndex
CREATE INDEX "Evidence_disputeId_at_idx" ON "Evidence"("disputeId", "at");

-- CreateIndex
CREATE INDEX "Review_revieweeId_idx" ON "Review"("revieweeId");

-- CreateIndex
CREATE UNIQUE INDEX "Review_contractId_reviewerId_key" ON "Review"("contractId", "reviewerId");

-- CreateIndex
CREATE INDEX "ReputationEvent_userId_id_idx" ON "ReputationEvent"("userId", "id");

-- CreateIndex
CREATE INDEX "JournalEntry_entityType_entityId_seq_idx" ON "JournalEntry"("entityType", "entityId", "seq");

-- CreateIndex
CREATE INDEX "JournalEntry_actorId_seq_idx" ON "JournalEntry"("actorId", "seq");
