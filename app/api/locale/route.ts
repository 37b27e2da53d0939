import { env } from '@/lib/env';
import { chooseLocaleRoute } from '@/lib/i18n/choose-locale';

export const dynamic = 'force-dynamic';

/** The language switcher's form, for a page whose scripts have not run yet. */
export function POST(req: Request): Promise<Response> {
  return chooseLocaleRoute(req, env().APP_URL);
}
