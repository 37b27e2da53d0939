import { openSearchRoute } from '@/lib/open-server/routes';
import { consoleRouteDeps } from '@/lib/console/route-deps';

export const dynamic = 'force-dynamic';

export async function POST(
  req: Request,
  { params }: { params: Promise<{ regId: string }> },
): Promise<Response> {
  return openSearchRoute(req, (await params).regId, await consoleRouteDeps());
}
