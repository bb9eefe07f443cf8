/**
 * The engine's records, as the store hands them over: money as integer minor units (numbers),
 * times as Dates, enumerations as the string unions below.
 */

export type OperatorRole = 'mediator' | 'compliance' | 'admin' | 'staff';
export type PartyRole = 'client' | 'freelancer';

export type Actor =
  | { kind: 'user'; id: string }
  | { kind: 'operator'; id: string; role: OperatorRole }
  | { kind: 'system'; id: 'system' };

export const SYSTEM: Actor = { kind: 'system', id: 'system' };

export type Marketplace = { id: string; name: string; settingsJson: string; createdAt: Date };

export type User = {
  id: string;
  marketplaceId: string;
  name: string;
  email: string;
  language: string;
  country: string;
  createdAt: Date;
  version: number;
  flCompleted: number;
  flCancelled: number;
  flLost: number;
  flNoFault: number;
  clCompleted: number;
  clCancelled: number;
  clLost: number;
  reviewCount: number;
  ratingSum: number;
};

export type AccountKind = 'wallet' | 'escrow' | 'fees' | 'external' | 'dispute_fee';

export type Account = { id: string; kind: AccountKind; ownerId: string; currency: string; balanceMinor: number };

export type TransferKind =
  | 'deposit'
  | 'withdrawal'
  | 'fund'
  | 'release'
  | 'commission'
  | 'refund'
  | 'reinstate'
  | 'arbitration_fee'
  | 'arbitration_fee_refund'
  | 'arbitration_fee_forfeit';

export type Transfer = {
  id: number;
  marketplaceId: string;
  debitAccountId: string;
  creditAccountId: string;
  amountMinor: number;
  currency: string;
  kind: TransferKind;
  milestoneId: string | null;
  projectId: string | null;
  disputeId: string | null;
  commandId: string;
  at: Date;
};

export type ProjectStatus = 'open' | 'awarded' | 'closed';
export type ContractKind = 'fixed' | 'hourly';

export type Project = {
  id: string;
  marketplaceId: string;
  clientId: string;
  title: string;
  description: string;
  category: string;
  kind: ContractKind;
  budgetMinor: number;
  currency: string;
  status: ProjectStatus;
  awardedBidId: string | null;
  createdAt: Date;
  version: number;
};

export type BidStatus = 'active' | 'shortlisted' | 'awarded' | 'rejected' | 'withdrawn';

export type Bid = {
  id: string;
  projectId: string;
  freelancerId: string;
  amountMinor: number;
  currency: string;
  proposal: string;
  status: BidStatus;
  createdAt: Date;
  version: number;
};

export type BidMilestone = {
  id: string;
  bidId: string;
  position: number;
  description: string;
  amountMinor: number;
  deadlineAt: Date | null;
};

export type ContractStatus = 'proposal' | 'live' | 'ended';

export type Contract = {
  id: string;
  marketplaceId: string;
  projectId: string | null;
  bidId: string | null;
  clientId: string;
  freelancerId: string;
  currency: string;
  kind: ContractKind;
  hourlyRateMinor: number | null;
  status: ContractStatus;
  createdAt: Date;
  liveAt: Date | null;
  version: number;
};

export type MilestoneState =
  | 'requested'
  | 'pending_approval'
  | 'declined'
  | 'approved'
  | 'funded'
  | 'completed'
  | 'disputed'
  | 'cancel_pending'
  | 'released'
  | 'cancelled'
  | 'resolved'
  | 'deleted';

export type MilestoneOrigin = 'client' | 'freelancer' | 'bid' | 'request' | 'direct' | 'reserve' | 'hourly';

export type Milestone = {
  id: string;
  marketplaceId: string;
  projectId: string | null;
  contractId: string | null;
  clientId: string;
  freelancerId: string | null;
  description: string;
  amountMinor: number;
  currency: string;
  deadlineAt: Date | null;
  origin: MilestoneOrigin;
  state: MilestoneState;
  priorState: MilestoneState | null;
  /** Who cancelled: the freelancer, or the staff member's operator id. */
  cancelledBy: string | null;
  /** Marked by staff as nobody's fault, so it does not count against the freelancer. */
  cancelNoFault: boolean;
  fundedMinor: number;
  releasedMinor: number;
  refundedMinor: number;
  feeMinor: number;
  autoReleaseAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
};

export type StaffCancellationStatus = 'pending_approval' | 'applied' | 'rejected' | 'overridden';

export type StaffCancellation = {
  id: string;
  milestoneId: string;
  operatorId: string;
  reason: string;
  amountMinor: number;
  currency: string;
  status: StaffCancellationStatus;
  priorState: MilestoneState;
  noFault: boolean;
  createdAt: Date;
  decidedById: string | null;
  decidedAt: Date | null;
  decisionReason: string | null;
  version: number;
};

export type TimeEntryStatus = 'logged' | 'approved' | 'disputed';

export type TimeEntry = {
  id: string;
  contractId: string;
  freelancerId: string;
  day: string;
  minutes: number;
  memo: string;
  status: TimeEntryStatus;
  milestoneId: string | null;
  createdAt: Date;
  version: number;
};

export type DisputeStage = 'filing' | 'negotiation' | 'arbitration' | 'decision' | 'closed';
export type DisputeOutcome =
  | 'settled'
  | 'decided'
  | 'default_no_response'
  | 'default_fee_unpaid'
  | 'small_claims'
  | 'withdrawn';

export type Dispute = {
  id: string;
  marketplaceId: string;
  milestoneId: string;
  filerId: string;
  filerRole: PartyRole;
  respondentId: string;
  clientId: string;
  freelancerId: string;
  /** Lower-case party names and project title, for the queue's text search. */
  searchText: string;
  category: string;
  /** The parties' languages, comma-separated, for routing cases to mediators who speak them. */
  languages: string;
  reason: string;
  /** What the filer asks for, as the amount the filer would receive. */
  claimMinor: number;
  /** What was in escrow when the dispute was opened: every split must add up to it. */
  disputedMinor: number;
  currency: string;
  stage: DisputeStage;
  outcome: DisputeOutcome | null;
  deadlineAt: Date | null;
  arbitrationFeeMinor: number;
  clientFeePaid: boolean;
  freelancerFeePaid: boolean;
  assignedMediatorId: string | null;
  decidedById: string | null;
  decisionReason: string | null;
  freelancerShareMinor: number | null;
  clientShareMinor: number | null;
  openedAt: Date;
  closedAt: Date | null;
  version: number;
};

export type DisputeOffer = {
  id: string;
  disputeId: string;
  byUserId: string;
  byRole: PartyRole;
  freelancerShareMinor: number;
  at: Date;
};

export type DisputeMessage = {
  id: string;
  disputeId: string;
  authorKind: 'user' | 'operator';
  authorId: string;
  body: string;
  internal: boolean;
  at: Date;
};

export type Evidence = {
  id: string;
  disputeId: string;
  submittedById: string;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
  note: string;
  at: Date;
};

export type Review = {
  id: string;
  contractId: string;
  reviewerId: string;
  revieweeId: string;
  rating: number;
  comment: string;
  at: Date;
};

export type ReputationEvent = {
  id: number;
  userId: string;
  at: Date;
  kind: string;
  milestoneId: string | null;
  disputeId: string | null;
  completionRateBps: number;
  reputationScore: number;
};

export type JournalEntry = {
  seq: number;
  at: Date;
  actorKind: Actor['kind'];
  actorId: string;
  actorRole: string;
  action: string;
  entityType: string;
  entityId: string;
  reason: string | null;
  payload: string;
  prevHash: string;
  hash: string;
};

export type Operator = {
  id: string;
  email: string;
  name: string;
  role: OperatorRole;
  passwordHash: string;
  disabled: boolean;
  /** Comma-separated language codes the operator works in; used to route cases. */
  languages: string;
  failedSignIns: number;
  lockedUntil: Date | null;
  createdAt: Date;
  version: number;
};

export type ApiKey = {
  id: string;
  marketplaceId: string;
  name: string;
  prefix: string;
  keyHash: string;
  createdAt: Date;
  revokedAt: Date | null;
  version: number;
};

export type SplitApproval = {
  id: string;
  disputeId: string;
  proposedById: string;
  freelancerShareMinor: number;
  clientShareMinor: number;
  reason: string;
  status: 'pending' | 'approved' | 'rejected';
  createdAt: Date;
  decidedById: string | null;
  decidedAt: Date | null;
  decisionReason: string | null;
  version: number;
};

export type OperatorConflict = { id: string; operatorId: string; userId: string; reason: string; createdAt: Date };

/** Every email the engine can ask for; server/notify/templates has one message per name and language. */
export const NOTIFICATION_TEMPLATES = [
  'milestone_to_review',
  'milestone_created',
  'milestone_requested',
  'milestone_approved',
  'milestone_funded',
  'milestone_completed',
  'milestone_released',
  'milestone_cancelled',
  'dispute_opened',
  'dispute_offer',
  'dispute_deadline_near',
  'dispute_settled',
  'dispute_decided',
] as const;
export type NotificationTemplate = (typeof NOTIFICATION_TEMPLATES)[number];
export type NotificationStatus = 'pending' | 'sending' | 'sent' | 'failed';
/** What a template may show: amounts as minor units (keys ending in Minor), dates as ISO strings (keys ending in At). */
export type NotificationParams = Record<string, string | number | boolean | null>;

export type Notification = {
  id: string;
  userId: string;
  template: NotificationTemplate;
  paramsJson: string;
  milestoneId: string | null;
  disputeId: string | null;
  status: NotificationStatus;
  attempts: number;
  /** When it is due; while 'sending', when the dispatcher's lease on it runs out. */
  nextAttemptAt: Date;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
  messageId: string;
};

/** The records the store keeps, by name: the engine reads and writes them through EngineTx. */
export type Entities = {
  marketplace: Marketplace;
  user: User;
  project: Project;
  bid: Bid;
  bidMilestone: BidMilestone;
  contract: Contract;
  milestone: Milestone;
  staffCancellation: StaffCancellation;
  timeEntry: TimeEntry;
  dispute: Dispute;
  disputeOffer: DisputeOffer;
  disputeMessage: DisputeMessage;
  evidence: Evidence;
  review: Review;
  operator: Operator;
  apiKey: ApiKey;
  splitApproval: SplitApproval;
  operatorConflict: OperatorConflict;
  notification: Notification;
};
export type EntityName = keyof Entities;
