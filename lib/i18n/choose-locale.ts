import 'server-only';
import { localPath } from '../http/local-path';
import { isSameOriginRequest } from '../http/request';
import { redirect } from '../http/responses';
import { isLocale, LOCALE_COOKIE, LOCALE_COOKIE_MAX_AGE } from './locale';

function refused(status: 400 | 403, message: string): Response {
  return new Response(message, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
  });
}

/**
 * POST /api/locale (a plain form: `locale`, `back`). The language switcher
 * works through it before the page's scripts have run, or without them:
 * the choice goes into the same cookie the switcher sets in the browser,
 * then back to the page it was made on.
 */
export async function chooseLocaleRoute(req: Request, appUrl: string): Promise<Response> {
  if (!isSameOriginRequest(req, appUrl)) return refused(403, 'Cross-site requests are not accepted.');
  let form: FormData;
  try {
    form = await req.formData();
  } catch {
    return refused(400, 'Choose a language.');
  }
  const locale = form.get('locale');
  if (!isLocale(locale)) return refused(400, 'Choose a language.');
  const secure = appUrl.startsWith('https://') ? '; Secure' : '';
  return redirect(new URL(localPath(form.get('back'), appUrl), appUrl).href, 303, {
    'set-cookie': `${LOCALE_COOKIE}=${locale}; Path=/; Max-Age=${LOCALE_COOKIE_MAX_AGE}; SameSite=Lax${secure}`,
  });
}
