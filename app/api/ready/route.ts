import { getAuditLog } from '@/lib/audit';
import { checkReadiness, readyResponse } from '@/lib/api/readiness';
import { hasRole } from '@/lib/console/roles';
import { currentConsoleUser } from '@/lib/console/require-user';
import { env } from '@/lib/env';
import { registrations } from '@/lib/smart/registrations';

export const dynamic = 'force-dynamic';

/** Readiness for load balancers: the audit store answers and each EHR's discovery answered recently. */
export async function GET(req: Request): Promise<Response> {
  return readyResponse(
    req,
    env(),
    () => checkReadiness(getAuditLog, registrations()),
    async () => hasRole((await currentConsoleUser())?.role, 'admin'),
  );
}
