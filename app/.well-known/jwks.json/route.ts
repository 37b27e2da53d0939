import { env } from '@/lib/env';
import { publicJwks } from '@/lib/smart/client-key';

export const dynamic = 'force-dynamic';

/** Public key of the app's SMART client (private_key_jwt), for EHRs to verify our assertions. */
export async function GET(): Promise<Response> {
  return Response.json(await publicJwks(env().secrets.smartClientKey), {
    headers: { 'cache-control': 'public, max-age=300' },
  });
}
