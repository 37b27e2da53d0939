import { searchFormRoute } from '@/lib/console/audit-routes';
import { consoleRouteDeps } from '@/lib/console/route-deps';

export const dynamic = 'force-dynamic';

export async function POST(req: Request): Promise<Response> {
  return searchFormRoute(req, await consoleRouteDeps());
}
