import { getAuditLog } from '@/lib/audit';
import { checkReadiness } from '@/lib/api/readiness';
import { registrations } from '@/lib/smart/registrations';

export const dynamic = 'force-dynamic';

/** Readiness for load balancers: the audit store answers and each EHR's discovery answered recently. */
export async function GET(): Promise<Response> {
  const r = await checkReadiness(getAuditLog, registrations());
  return Response.json(r, { status: r.ready ? 200 : 503, headers: { 'cache-control': 'no-store' } });
}
