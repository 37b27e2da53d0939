import { confirmSecondFactorRoute } from '@/lib/console/second-factor-route';
import { consoleRouteDeps } from '@/lib/console/route-deps';

export const dynamic = 'force-dynamic';

export async function POST(req: Request): Promise<Response> {
  return confirmSecondFactorRoute(req, await consoleRouteDeps());
}
