import { routeDeps } from '@/lib/api/deps';
import { viewRoute } from '@/lib/api/session-handlers';

export const dynamic = 'force-dynamic';

export async function POST(
  req: Request,
  { params }: { params: Promise<{ launchId: string }> },
): Promise<Response> {
  return viewRoute(req, (await params).launchId, await routeDeps());
}
