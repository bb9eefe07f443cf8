import type { Auth } from '../auth/sessions.js';
import type { Actor, OperatorRole } from '../engine/types.js';

/** One console account per role. These passwords are for the demo database only. */
export const DEMO_OPERATORS: { email: string; name: string; role: OperatorRole; password: string; languages: string[] }[] = [
  { email: 'admin@demo.test', name: 'Ada Admin', role: 'admin', password: 'demo-admin-pass', languages: ['en', 'es'] },
  { email: 'mediator@demo.test', name: 'Mateo Mediator', role: 'mediator', password: 'demo-mediator-pass', languages: ['es', 'en'] },
  { email: 'mediator2@demo.test', name: 'Maria Mediadora', role: 'mediator', password: 'demo-mediator-pass', languages: ['pt', 'en'] },
  { email: 'compliance@demo.test', name: 'Chloe Compliance', role: 'compliance', password: 'demo-compliance-pass', languages: ['en'] },
  { email: 'staff@demo.test', name: 'Sam Support', role: 'staff', password: 'demo-staff-pass', languages: ['en', 'pt'] },
];

export async function createDemoOperators(auth: Auth): Promise<void> {
  const [admin, ...rest] = DEMO_OPERATORS;
  await auth.bootstrapAdmin(admin!.email, admin!.password);
  const signedIn = await auth.signIn(admin!.email, admin!.password);
  const by: Actor = signedIn.session.actor;
  for (const op of rest) await auth.createOperator(by, op);
}
