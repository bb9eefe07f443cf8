import type { Role } from '@/features/auth/store';

/**
 * Which screens each role may open. Mirrors the router's role procedures so the drawer offers only
 * what will work; the router still refuses anyone else, whatever the screen shows.
 */
export type NavItem = { to: string; titleKey: string; icon: string; roles: readonly Role[] };

export const NAV: readonly NavItem[] = [
  { to: '/disputes', titleKey: 'nav.disputes', icon: 'mdi-scale-balance', roles: ['mediator', 'admin', 'compliance', 'staff'] },
  { to: '/approvals', titleKey: 'nav.approvals', icon: 'mdi-check-decagram', roles: ['mediator', 'admin', 'compliance'] },
  { to: '/payments', titleKey: 'nav.payments', icon: 'mdi-bank-transfer', roles: ['mediator', 'admin', 'compliance', 'staff'] },
  { to: '/users', titleKey: 'nav.users', icon: 'mdi-account-group', roles: ['mediator', 'admin', 'compliance', 'staff'] },
  { to: '/audit', titleKey: 'nav.audit', icon: 'mdi-file-document-check', roles: ['admin', 'compliance'] },
  { to: '/admin', titleKey: 'nav.admin', icon: 'mdi-cog', roles: ['admin'] },
];

export function navFor(role: Role | null): NavItem[] {
  return role ? NAV.filter((n) => n.roles.includes(role)) : [];
}

export function mayOpen(path: string, role: Role | null): boolean {
  const item = NAV.find((n) => path === n.to || path.startsWith(`${n.to}/`));
  return !item || (role !== null && item.roles.includes(role));
}
