import { env } from '@/lib/env';
import { signInErrorPage } from '@/lib/smart/sign-in-error';

export const dynamic = 'force-dynamic';

/** Where a failed SMART callback lands, so the authorization code never stays in the address bar. */
export async function GET(req: Request): Promise<Response> {
  return signInErrorPage(req, env());
}
