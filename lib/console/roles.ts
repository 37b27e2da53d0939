/**
 * Console roles, each including the ones below it:
 * viewer — the chart against open FHIR servers, nothing else;
 * auditor — also reads and exports the audit log;
 * admin — also manages console accounts and their roles.
 */
export type ConsoleRole = 'viewer' | 'auditor' | 'admin';

export const CONSOLE_ROLES: readonly ConsoleRole[] = ['viewer', 'auditor', 'admin'];

const RANK: Record<ConsoleRole, number> = { viewer: 1, auditor: 2, admin: 3 };

export function isConsoleRole(value: unknown): value is ConsoleRole {
  return typeof value === 'string' && (CONSOLE_ROLES as readonly string[]).includes(value);
}

/** True when `role` (null: an account with no role granted yet) may do what `required` allows. */
export function hasRole(role: ConsoleRole | null | undefined, required: ConsoleRole): boolean {
  return role !== null && role !== undefined && RANK[role] >= RANK[required];
}
