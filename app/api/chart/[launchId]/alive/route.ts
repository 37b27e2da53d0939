import { withRouteDeps } from '@/lib/api/deps';
import { aliveRoute } from '@/lib/api/session-handlers';

export const dynamic = 'force-dynamic';

/** The page's keep-alive while its user reads a chart that asks the EHR nothing new. */
export async function POST(
  req: Request,
  { params }: { params: Promise<{ launchId: string }> },
): Promise<Response> {
  const { launchId } = await params;
  return withRouteDeps((deps) => aliveRoute(req, launchId, deps));
}
