import type { Catalog } from './catalog.js';

export const en: Catalog = {
  locale: 'en',
  greeting: 'Hello {recipientName},',
  footer: 'This message was sent by the escrow service about your account. Please do not reply to it.',
  labels: {
    by: { client: 'the client', freelancer: 'the freelancer', staff: 'the platform staff' },
    outcome: {
      settled: 'settled by agreement',
      decided: 'decided by a mediator',
      default_no_response: 'decided because the other party did not answer in time',
      default_fee_unpaid: 'decided because the arbitration fee was not paid in time',
      small_claims: 'closed as a small claim and split evenly',
      withdrawn: 'withdrawn by the party who opened it',
    },
    action: { respond: 'respond to the dispute', pay_fee: 'pay the arbitration fee' },
  },
  messages: {
    milestone_to_review: {
      subject: 'New milestone to review: {milestone}',
      body: [
        'Your client has proposed a new milestone: “{milestone}” for {amount}.',
        'Please review it. If you are happy to do the work, approve it; otherwise send the client a message to agree changes. The client cannot pay the milestone until you approve it.',
      ],
    },
    milestone_created: {
      subject: 'New milestone: {milestone}',
      body: [
        'Your freelancer has created a milestone: “{milestone}” for {amount}.',
        'You can pay it into escrow when you are ready; the work starts once it is paid.',
      ],
    },
    milestone_requested: {
      subject: 'Milestone requested: {milestone}',
      body: [
        'Your freelancer asks for a milestone: “{milestone}” for {amount}.',
        'Accept the request to add it to your contract, or decline it.',
      ],
    },
    milestone_approved: {
      subject: 'Milestone approved: {milestone}',
      body: [
        'The milestone “{milestone}” for {amount} has been approved.',
        { when: 'paymentTaken', text: 'Its payment has been taken from your balance and is held in escrow.' },
      ],
    },
    milestone_funded: {
      subject: 'Paid into escrow: {milestone}',
      body: [
        '{amount} for “{milestone}” has been paid into escrow.',
        'You can start the work: the money is held safely until the client releases it.',
      ],
    },
    milestone_completed: {
      subject: 'Work marked complete: {milestone}',
      body: [
        'Your freelancer has marked “{milestone}” ({amount}) as complete.',
        'Please review the work, then release the payment or ask for a revision.',
        'If you do nothing, the payment will be released automatically on {autoRelease}.',
      ],
    },
    milestone_released: {
      subject: 'Payment released: {milestone}',
      body: [
        '{released} has been released to you for “{milestone}”.',
        'After the platform fee of {commission}, {received} has been added to your balance.',
        '{remaining} remains in escrow for this milestone.',
      ],
    },
    milestone_cancelled: {
      subject: 'Milestone cancelled: {milestone}',
      body: [
        'The milestone “{milestone}” ({amount}) has been cancelled by {by}.',
        '{refunded} held in escrow has been returned to the client’s balance.',
      ],
    },
    dispute_opened: {
      subject: 'A dispute has been opened: {milestone}',
      body: [
        'A dispute over “{milestone}” has been opened by {by}, claiming {claim}. The {disputed} in escrow is frozen until the dispute is resolved.',
        'Please respond before {deadline}. If you do not respond in time, the dispute may be decided against you.',
      ],
    },
    dispute_offer: {
      subject: 'New offer in your dispute: {milestone}',
      body: [
        'A new offer to settle the dispute over “{milestone}” has been made by {by}.',
        'It proposes {freelancerShare} for the freelancer and {clientShare} back to the client, out of {disputed} in escrow.',
        'You can accept it or make an offer of your own.',
      ],
    },
    dispute_deadline_near: {
      subject: 'Deadline approaching: {milestone}',
      body: [
        'The dispute over “{milestone}” has a deadline on {deadline}.',
        'You still need to {action} before then; otherwise the dispute will be closed in the other party’s favour.',
        'The arbitration fee is {arbitrationFee}.',
      ],
    },
    dispute_settled: {
      subject: 'Dispute settled: {milestone}',
      body: [
        'The dispute over “{milestone}” has been settled by agreement.',
        '{freelancerShare} goes to the freelancer and {clientShare} is returned to the client.',
      ],
    },
    dispute_decided: {
      subject: 'Dispute closed: {milestone}',
      body: [
        'The dispute over “{milestone}” has been {outcome}.',
        '{freelancerShare} goes to the freelancer and {clientShare} is returned to the client.',
      ],
    },
  },
};
