import { routeDeps } from '@/lib/api/deps';
import { overLimit } from '@/lib/api/over-limit';
import { errorPageFor } from '@/lib/http/responses';
import { beginLaunch } from '@/lib/smart/launch-flow';

export const dynamic = 'force-dynamic';

/** SMART launch: EHR launch (`iss` + `launch`) or standalone (`ehr` + `mode`). */
export async function GET(req: Request): Promise<Response> {
  try {
    const deps = await routeDeps();
    return (await overLimit(req, 'launch', deps, false)) ?? (await beginLaunch(req, deps));
  } catch (e) {
    return errorPageFor(e, 'The app could not start');
  }
}
