import { withRouteDeps } from '@/lib/api/deps';
import { logoutRoute } from '@/lib/api/session-handlers';

export const dynamic = 'force-dynamic';

export async function POST(
  req: Request,
  { params }: { params: Promise<{ launchId: string }> },
): Promise<Response> {
  const { launchId } = await params;
  return withRouteDeps((deps) => logoutRoute(req, launchId, deps));
}
