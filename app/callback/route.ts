import { routeDeps } from '@/lib/api/deps';
import { overLimit } from '@/lib/api/over-limit';
import { errorPageFor } from '@/lib/http/responses';
import { completeLaunch } from '@/lib/smart/launch-flow';

export const dynamic = 'force-dynamic';

/** SMART redirect URI: checks state, exchanges the code on the server, opens the chart. */
export async function GET(req: Request): Promise<Response> {
  try {
    const deps = await routeDeps();
    return (await overLimit(req, 'callback', deps, false)) ?? (await completeLaunch(req, deps));
  } catch (e) {
    return errorPageFor(e, 'Sign-in could not be completed');
  }
}
