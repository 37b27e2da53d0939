import { withRouteDeps } from '@/lib/api/deps';
import { overLimit } from '@/lib/api/over-limit';
import { viewRoute } from '@/lib/api/session-handlers';

export const dynamic = 'force-dynamic';

export async function POST(
  req: Request,
  { params }: { params: Promise<{ launchId: string }> },
): Promise<Response> {
  const { launchId } = await params;
  return withRouteDeps(
    async (deps) => (await overLimit(req, 'view', deps, true)) ?? viewRoute(req, launchId, deps),
  );
}
