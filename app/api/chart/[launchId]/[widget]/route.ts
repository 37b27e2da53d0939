import { chartDataRoute } from '@/lib/api/chart-handlers';
import { withRouteDeps } from '@/lib/api/deps';

export const dynamic = 'force-dynamic';

/** The data route of every chart widget in the registry (lib/api/widgets.ts); unknown names are a 404. */
export async function GET(
  req: Request,
  { params }: { params: Promise<{ launchId: string; widget: string }> },
): Promise<Response> {
  const { launchId, widget } = await params;
  return withRouteDeps((deps) => chartDataRoute(req, launchId, widget, deps));
}
