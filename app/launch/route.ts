import { routeDeps } from '@/lib/api/deps';
import { errorPageFor } from '@/lib/http/responses';
import { beginLaunch } from '@/lib/smart/launch-flow';

export const dynamic = 'force-dynamic';

/** SMART launch: EHR launch (`iss` + `launch`) or standalone (`ehr` + `mode`). */
export async function GET(req: Request): Promise<Response> {
  try {
    return await beginLaunch(req, await routeDeps());
  } catch (e) {
    return errorPageFor(e, 'The app could not start');
  }
}
