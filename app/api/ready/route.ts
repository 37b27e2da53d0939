import { getAuditLog } from '@/lib/audit';
import { checkReadiness } from '@/lib/api/readiness';
import { env } from '@/lib/env';
import { registrations } from '@/lib/smart/registrations';
import { getLaunchStore } from '@/lib/state';

export const dynamic = 'force-dynamic';

/** Readiness for load balancers: this instance's audit store, launch store and keys; each EHR's discovery as detail. */
export async function GET(): Promise<Response> {
  const r = await checkReadiness(getAuditLog, registrations(), Date.now(), {
    launchStore: async () => (await getLaunchStore()).ping(),
    secrets: env().secrets,
  });
  return Response.json(r, { status: r.ready ? 200 : 503, headers: { 'cache-control': 'no-store' } });
}
