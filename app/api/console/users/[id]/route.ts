import { updateUserRoute } from '@/lib/console/user-routes';
import { consoleRouteDeps } from '@/lib/console/route-deps';

export const dynamic = 'force-dynamic';

export async function PATCH(
  req: Request,
  { params }: { params: Promise<{ id: string }> },
): Promise<Response> {
  return updateUserRoute(req, (await params).id, await consoleRouteDeps());
}
