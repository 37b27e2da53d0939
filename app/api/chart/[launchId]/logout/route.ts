import { routeDeps } from '@/lib/api/deps';
import { logoutRoute } from '@/lib/api/session-handlers';

export const dynamic = 'force-dynamic';

export async function POST(
  req: Request,
  { params }: { params: Promise<{ launchId: string }> },
): Promise<Response> {
  return logoutRoute(req, (await params).launchId, await routeDeps());
}
