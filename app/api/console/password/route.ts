import { changePasswordRoute } from '@/lib/console/password-route';
import { consoleRouteDeps } from '@/lib/console/route-deps';

export const dynamic = 'force-dynamic';

export async function POST(req: Request): Promise<Response> {
  return changePasswordRoute(req, await consoleRouteDeps());
}
