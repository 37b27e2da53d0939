import { createUserRoute } from '@/lib/console/user-routes';
import { consoleRouteDeps } from '@/lib/console/route-deps';

export const dynamic = 'force-dynamic';

export async function POST(req: Request): Promise<Response> {
  return createUserRoute(req, await consoleRouteDeps());
}
