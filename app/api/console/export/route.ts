import { exportRoute } from '@/lib/console/audit-routes';
import { consoleRouteDeps } from '@/lib/console/route-deps';

export const dynamic = 'force-dynamic';

export async function GET(req: Request): Promise<Response> {
  return exportRoute(req, await consoleRouteDeps());
}
