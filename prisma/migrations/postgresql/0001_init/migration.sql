-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "Marketplace" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "settingsJson" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Marketplace_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "marketplaceId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "country" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "version" INTEGER NOT NULL,
    "flCompleted" INTEGER NOT NULL,
    "flCancelled" INTEGER NOT NULL,
    "flLost" INTEGER NOT NULL,
    "flNoFault" INTEGER NOT NULL,
    "clCompleted" INTEGER NOT NULL,
    "clCancelled" INTEGER NOT NULL,
    "clLost" INTEGER NOT NULL,
    "reviewCount" INTEGER NOT NULL,
    "ratingSum" INTEGER NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Account" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "balanceMinor" BIGINT NOT NULL,

    CONSTRAINT "Account_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Transfer" (
    "id" SERIAL NOT NULL,
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
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Transfer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Project" (
    "id" TEXT NOT NULL,
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
    "createdAt" TIMESTAMP(3) NOT NULL,
    "version" INTEGER NOT NULL,

    CONSTRAINT "Project_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Bid" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "freelancerId" TEXT NOT NULL,
    "amountMinor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "proposal" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "version" INTEGER NOT NULL,

    CONSTRAINT "Bid_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BidMilestone" (
    "id" TEXT NOT NULL,
    "bidId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "description" TEXT NOT NULL,
    "amountMinor" BIGINT NOT NULL,
    "deadlineAt" TIMESTAMP(3),

    CONSTRAINT "BidMilestone_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Contract" (
    "id" TEXT NOT NULL,
    "marketplaceId" TEXT NOT NULL,
    "projectId" TEXT,
    "bidId" TEXT,
    "clientId" TEXT NOT NULL,
    "freelancerId" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "hourlyRateMinor" BIGINT,
    "status" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "liveAt" TIMESTAMP(3),
    "version" INTEGER NOT NULL,

    CONSTRAINT "Contract_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Milestone" (
    "id" TEXT NOT NULL,
    "marketplaceId" TEXT NOT NULL,
    "projectId" TEXT,
    "contractId" TEXT,
    "clientId" TEXT NOT NULL,
    "freelancerId" TEXT,
    "description" TEXT NOT NULL,
    "amountMinor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "deadlineAt" TIMESTAMP(3),
    "origin" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "priorState" TEXT,
    "cancelledBy" TEXT,
    "cancelNoFault" BOOLEAN NOT NULL,
    "fundedMinor" BIGINT NOT NULL,
    "releasedMinor" BIGINT NOT NULL,
    "refundedMinor" BIGINT NOT NULL,
    "feeMinor" BIGINT NOT NULL,
    "autoReleaseAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "version" INTEGER NOT NULL,

    CONSTRAINT "Milestone_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StaffCancellation" (
    "id" TEXT NOT NULL,
    "milestoneId" TEXT NOT NULL,
    "operatorId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "amountMinor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "priorState" TEXT NOT NULL,
    "noFault" BOOLEAN NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "decidedById" TEXT,
    "decidedAt" TIMESTAMP(3),
    "decisionReason" TEXT,
    "version" INTEGER NOT NULL,

    CONSTRAINT "StaffCancellation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TimeEntry" (
    "id" TEXT NOT NULL,
    "contractId" TEXT NOT NULL,
    "freelancerId" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "minutes" INTEGER NOT NULL,
    "memo" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "milestoneId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "version" INTEGER NOT NULL,

    CONSTRAINT "TimeEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Dispute" (
    "id" TEXT NOT NULL,
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
    "deadlineAt" TIMESTAMP(3),
    "arbitrationFeeMinor" BIGINT NOT NULL,
    "clientFeePaid" BOOLEAN NOT NULL,
    "freelancerFeePaid" BOOLEAN NOT NULL,
    "assignedMediatorId" TEXT,
    "decidedById" TEXT,
    "decisionReason" TEXT,
    "freelancerShareMinor" BIGINT,
    "clientShareMinor" BIGINT,
    "openedAt" TIMESTAMP(3) NOT NULL,
    "closedAt" TIMESTAMP(3),
    "version" INTEGER NOT NULL,

    CONSTRAINT "Dispute_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SplitApproval" (
    "id" TEXT NOT NULL,
    "disputeId" TEXT NOT NULL,
    "proposedById" TEXT NOT NULL,
    "freelancerShareMinor" BIGINT NOT NULL,
    "clientShareMinor" BIGINT NOT NULL,
    "reason" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "decidedById" TEXT,
    "decidedAt" TIMESTAMP(3),
    "decisionReason" TEXT,
    "version" INTEGER NOT NULL,

    CONSTRAINT "SplitApproval_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OperatorConflict" (
    "id" TEXT NOT NULL,
    "operatorId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OperatorConflict_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DisputeOffer" (
    "id" TEXT NOT NULL,
    "disputeId" TEXT NOT NULL,
    "byUserId" TEXT NOT NULL,
    "byRole" TEXT NOT NULL,
    "freelancerShareMinor" BIGINT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DisputeOffer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DisputeMessage" (
    "id" TEXT NOT NULL,
    "disputeId" TEXT NOT NULL,
    "authorKind" TEXT NOT NULL,
    "authorId" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "internal" BOOLEAN NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DisputeMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Evidence" (
    "id" TEXT NOT NULL,
    "disputeId" TEXT NOT NULL,
    "submittedById" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "mediaType" TEXT NOT NULL,
    "sizeBytes" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "note" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Evidence_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Review" (
    "id" TEXT NOT NULL,
    "contractId" TEXT NOT NULL,
    "reviewerId" TEXT NOT NULL,
    "revieweeId" TEXT NOT NULL,
    "rating" INTEGER NOT NULL,
    "comment" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Review_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReputationEvent" (
    "id" SERIAL NOT NULL,
    "userId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "kind" TEXT NOT NULL,
    "milestoneId" TEXT,
    "disputeId" TEXT,
    "completionRateBps" INTEGER NOT NULL,
    "reputationScore" INTEGER NOT NULL,

    CONSTRAINT "ReputationEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JournalEntry" (
    "seq" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "actorKind" TEXT NOT NULL,
    "actorId" TEXT NOT NULL,
    "actorRole" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "entityType" TEXT NOT NULL,
    "entityId" TEXT NOT NULL,
    "reason" TEXT,
    "payload" TEXT NOT NULL,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "JournalEntry_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "CommandLog" (
    "key" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "result" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CommandLog_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "Operator" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "disabled" BOOLEAN NOT NULL,
    "languages" TEXT NOT NULL,
    "failedSignIns" INTEGER NOT NULL,
    "lockedUntil" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL,
    "version" INTEGER NOT NULL,

    CONSTRAINT "Operator_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Session" (
    "tokenHash" TEXT NOT NULL,
    "operatorId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("tokenHash")
);

-- CreateTable
CREATE TABLE "ApiKey" (
    "id" TEXT NOT NULL,
    "marketplaceId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "keyHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "revokedAt" TIMESTAMP(3),
    "version" INTEGER NOT NULL,

    CONSTRAINT "ApiKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "template" TEXT NOT NULL,
    "paramsJson" TEXT NOT NULL,
    "milestoneId" TEXT,
    "disputeId" TEXT,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "sentAt" TIMESTAMP(3),
    "messageId" TEXT NOT NULL,

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AppSetting" (
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AppSetting_pkey" PRIMARY KEY ("key")
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
CREATE INDEX "Milestone_projectId_state_idx" ON "Milestone"("projectId", "state");

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
CREATE INDEX "Dispute_stage_deadlineAt_id_idx" ON "Dispute"("stage", "deadlineAt", "id");

-- CreateIndex
CREATE INDEX "Dispute_stage_openedAt_id_idx" ON "Dispute"("stage", "openedAt", "id");

-- CreateIndex
CREATE INDEX "Dispute_stage_disputedMinor_id_idx" ON "Dispute"("stage", "disputedMinor", "id");

-- CreateIndex
CREATE INDEX "Dispute_stage_assignedMediatorId_deadlineAt_id_idx" ON "Dispute"("stage", "assignedMediatorId", "deadlineAt", "id");

-- CreateIndex
CREATE INDEX "Dispute_outcome_category_disputedMinor_idx" ON "Dispute"("outcome", "category", "disputedMinor");

-- CreateIndex
CREATE INDEX "SplitApproval_status_createdAt_idx" ON "SplitApproval"("status", "createdAt");

-- CreateIndex
CREATE INDEX "SplitApproval_disputeId_idx" ON "SplitApproval"("disputeId");

-- CreateIndex
CREATE UNIQUE INDEX "OperatorConflict_operatorId_userId_key" ON "OperatorConflict"("operatorId", "userId");

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

-- CreateIndex
CREATE UNIQUE INDEX "Operator_email_key" ON "Operator"("email");

-- CreateIndex
CREATE INDEX "Session_operatorId_idx" ON "Session"("operatorId");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_keyHash_key" ON "ApiKey"("keyHash");

-- CreateIndex
CREATE INDEX "Notification_status_nextAttemptAt_idx" ON "Notification"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "Notification_milestoneId_id_idx" ON "Notification"("milestoneId", "id");

-- CreateIndex
CREATE INDEX "Notification_userId_id_idx" ON "Notification"("userId", "id");

-- CreateIndex
CREATE INDEX "Notification_disputeId_template_idx" ON "Notification"("disputeId", "template");
