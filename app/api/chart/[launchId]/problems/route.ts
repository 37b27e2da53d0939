import { problemsRoute } from '@/lib/api/chart-handlers';
import { routeDeps } from '@/lib/api/deps';

export const dynamic = 'force-dynamic';

export async function GET(
  req: Request,
  { params }: { params: Promise<{ launchId: string }> },
): Promise<Response> {
  return problemsRoute(req, (await params).launchId, await routeDeps());
}
