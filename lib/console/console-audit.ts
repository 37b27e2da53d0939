import 'server-only';
import type { PatientSearchResult } from '../audit/patient-index';
import type { AuditAction, AuditInput, AuditLog, AuditOutcome } from '../audit/types';
import type { ConsoleRole } from './roles';
import type { ConsoleUser } from './users';

/** Console actions are audited under their own tenant, by console account. */
export const CONSOLE_TENANT = 'console';

export const consoleUserRef = (id: string): string => `console-user/${id}`;

/** The console account id of a `console-user/<id>` reference; undefined for any other user. */
export const consoleUserIdOf = (ref: string | undefined): string | undefined =>
  ref?.startsWith('console-user/') ? ref.slice('console-user/'.length) : undefined;

export interface ConsoleAuditInput {
  readonly action: Extract<AuditAction, `console-${string}`>;
  readonly userId?: string;
  readonly outcome?: AuditOutcome;
  readonly outcomeDesc?: string;
  /** What was done, free of PHI: filter names, an event position, an export format. */
  readonly detail?: string;
  /** The patient searched or accounted for, when the action concerns one. */
  readonly patient?: string;
  readonly sourceIp?: string;
}

export function consoleAuditInput(input: ConsoleAuditInput): AuditInput {
  return {
    action: input.action,
    outcome: input.outcome ?? '0',
    tenant: CONSOLE_TENANT,
    ...(input.userId !== undefined ? { user: consoleUserRef(input.userId) } : {}),
    ...(input.outcomeDesc !== undefined ? { outcomeDesc: input.outcomeDesc } : {}),
    ...(input.detail !== undefined ? { detail: input.detail } : {}),
    ...(input.patient !== undefined ? { patient: input.patient } : {}),
    ...(input.sourceIp !== undefined ? { sourceIp: input.sourceIp } : {}),
  };
}

/** Records a console action; console reads fail closed like chart reads, so callers await this before answering. */
export function recordConsole(audit: AuditLog, input: ConsoleAuditInput): Promise<unknown> {
  return audit.record(consoleAuditInput(input));
}

/**
 * A console search by name, birth date or MRN names no patient until the store
 * has found them: each patient found is recorded as looked up by the officer
 * (one event each, as the open-server search records each patient it returns),
 * before anything of theirs is shown, so that a search of a patient's events
 * shows every officer who looked them up by name.
 */
export async function recordPatientsFound(
  audit: AuditLog,
  input: Omit<ConsoleAuditInput, 'patient' | 'detail'>,
  found: PatientSearchResult | undefined,
): Promise<void> {
  if (!found) return;
  await Promise.all(
    found.patients.map((p) =>
      recordConsole(audit, { ...input, detail: 'patient-find:found', patient: p.reference }),
    ),
  );
}

/** Records that a console account asked for what its role does not allow; the refusal stands unrecorded otherwise. */
export async function recordRoleRefusal(
  audit: AuditLog,
  user: ConsoleUser,
  role: ConsoleRole,
  path: string,
  sourceIp: string,
): Promise<void> {
  try {
    await audit.record({
      action: 'access-denied',
      outcome: '4',
      outcomeDesc: 'console-role',
      tenant: CONSOLE_TENANT,
      user: consoleUserRef(user.id),
      detail: `needs:${role};path:${path.slice(0, 200)}`,
      sourceIp,
    });
  } catch {
    /* the refusal stands */
  }
}
