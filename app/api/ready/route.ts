import { getAuditLog } from '@/lib/audit';
import { checkReadiness, readyResponse } from '@/lib/api/readiness';
import { hasRole } from '@/lib/console/roles';
import { currentConsoleUser } from '@/lib/console/require-user';
import { env } from '@/lib/env';
import { registrations } from '@/lib/smart/registrations';
import { getLaunchStore } from '@/lib/state';

export const dynamic = 'force-dynamic';

/**
 * Readiness for load balancers: this instance's audit store, launch store and
 * keys. Each EHR's discovery is detail, for local requests and console admins only.
 */
export async function GET(req: Request): Promise<Response> {
  return readyResponse(
    req,
    env(),
    () =>
      checkReadiness(getAuditLog, registrations(), Date.now(), {
        launchStore: async () => (await getLaunchStore()).ping(),
        secrets: env().secrets,
      }),
    async () => hasRole((await currentConsoleUser())?.role, 'admin'),
  );
}
