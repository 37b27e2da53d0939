import 'server-only';
import { headers } from 'next/headers';
import { getAuditLog } from '../audit';
import { env } from '../env';
import { clientAddress } from '../http/request';
import type { PatientSearchResult } from '../audit/patient-index';
import { recordConsole, recordPatientsFound, type ConsoleAuditInput } from './console-audit';

/**
 * Records a console page's action before the page shows anything. Pages fail
 * closed like routes: when the record cannot be written, they throw and the
 * error page shows instead of audit data.
 */
export async function recordPageAction(input: Omit<ConsoleAuditInput, 'sourceIp'>): Promise<void> {
  await recordConsole(await getAuditLog(), { ...input, sourceIp: await pageSourceIp() });
}

/** Records each patient a page's search found by name, birth date or MRN (console-audit.ts), before the page shows them. */
export async function recordPagePatientsFound(
  input: Pick<ConsoleAuditInput, 'action' | 'userId'>,
  found: PatientSearchResult | undefined,
): Promise<void> {
  await recordPatientsFound(await getAuditLog(), { ...input, sourceIp: await pageSourceIp() }, found);
}

/** The console user's network address as the page's request shows it. */
export async function pageSourceIp(): Promise<string> {
  const h = await headers();
  return clientAddress(new Request(env().APP_URL, { headers: h }), env());
}
