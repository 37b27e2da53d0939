import 'server-only';
import { AppError } from '../errors';
import { errorPage, jsonError } from './responses';

/**
 * Console pages and routes that read, show or export audit or patient data.
 * The sign-in and refusal pages read nothing.
 */
const CONSOLE_DATA = /^\/(?:console(?!\/(?:sign-in|forbidden)(?:\/|$))|api\/console|api\/open|open)(?:\/|$)/;

export function readsConsoleData(pathname: string): boolean {
  return CONSOLE_DATA.test(pathname);
}

/**
 * Whether the browser says the user asked for this request: typed, bookmarked
 * or clicked on one of our own pages, or a plain link (a page of the console,
 * no parameters) followed from a page of the same site, such as an intranet
 * page on another subdomain. A request another site triggers
 * (`Sec-Fetch-Site: cross-site`) is not; nor is a same-site page's fetch,
 * image or form, or its link to a route or with parameters: any page of the
 * site (another port, a sibling subdomain) could otherwise have a search or an
 * export run and recorded in the officer's name. Clients that send no Fetch
 * Metadata (curl, older browsers) are judged by their session and the
 * same-origin checks alone.
 */
export function isDeliberateRequest(headers: Headers, url: { pathname: string; search: string }): boolean {
  const site = headers.get('sec-fetch-site');
  if (site === 'cross-site') return false;
  if (site === 'same-site')
    return (
      headers.get('sec-fetch-mode') === 'navigate' && url.search === '' && !url.pathname.startsWith('/api/')
    );
  return true;
}

/**
 * The answer to a console request another site made the browser send:
 * 403, before anything is read, shown, exported or recorded. (A sign-in at
 * the SSO provider also ends on such a page: its redirect chain crossed
 * sites; one click on the link goes on.)
 */
export function refuseUndeliberate(pathname: string): Response {
  const message =
    'This request to the audit console came from another site, so nothing was searched, shown or exported.';
  if (pathname.startsWith('/api/')) return jsonError(new AppError('forbidden', message));
  // A page: the user may go on deliberately (a click here is same-origin), without the other site's parameters.
  return errorPage(
    403,
    'Opened from another site',
    message,
    {},
    { href: pathname, text: `Open ${pathname}` },
  );
}
