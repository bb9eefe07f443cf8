import type { DisputeOutcome, NotificationTemplate } from '../../engine/types.js';

/**
 * The shape every language's catalog has, so that a missing message is a type error as well as
 * a failing unit test (test/unit/notification-templates.test.ts).
 *
 * Placeholders are `{name}`, filled from the notification's parameters (server/notify/render.ts):
 *   {xxx}   from xxxMinor: an amount, in the notification's currency
 *   {xxx}   from xxxAt: a date and time (UTC)
 *   {by} {outcome} {action}: a code, shown as the label of that name below
 *   anything else: the parameter's text; {recipientName} is the recipient's name.
 * A paragraph whose parameter is null does not apply and is left out; `{ when, text }` is shown
 * only when that parameter is true.
 */

export type Paragraph = string | { when: string; text: string };

export type Message = { subject: string; body: readonly Paragraph[] };

export type Labels = {
  by: Record<'client' | 'freelancer' | 'staff', string>;
  outcome: Record<DisputeOutcome, string>;
  action: Record<'respond' | 'pay_fee', string>;
};

export type Catalog = {
  /** The locale for Intl's number and date formats. */
  locale: string;
  greeting: string;
  footer: string;
  labels: Labels;
  messages: Record<NotificationTemplate, Message>;
};
