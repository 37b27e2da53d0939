import { routeDeps } from '@/lib/api/deps';
import { errorPageFor } from '@/lib/http/responses';
import { completeLaunch } from '@/lib/smart/launch-flow';

export const dynamic = 'force-dynamic';

/** SMART redirect URI: checks state, exchanges the code on the server, opens the chart. */
export async function GET(req: Request): Promise<Response> {
  try {
    return await completeLaunch(req, await routeDeps());
  } catch (e) {
    return errorPageFor(e, 'Sign-in could not be completed');
  }
}
