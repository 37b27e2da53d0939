import 'server-only';
import { AppError, isAppError } from '../errors';

export const NO_STORE = 'no-store, max-age=0';

function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/** A small self-contained error page, for flows that cannot render React (launch, callback). */
export function errorPage(
  status: number,
  title: string,
  message: string,
  headers: HeadersInit = {},
  link: { readonly href: string; readonly text: string } = { href: '/', text: 'Back to the start page' },
): Response {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1f2937}h1{font-size:1.4rem;color:#991b1b}a{color:#1d4ed8}</style></head>
<body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p><p><a href="${escapeHtml(link.href)}">${escapeHtml(link.text)}</a></p></main></body></html>`;
  const h = new Headers(headers);
  h.set('content-type', 'text/html; charset=utf-8');
  h.set('cache-control', NO_STORE);
  return new Response(html, { status, headers: h });
}

export function errorPageFor(e: unknown, title: string, headers: HeadersInit = {}): Response {
  const err = isAppError(e) ? e : new AppError('internal', 'Something went wrong. Please try again.');
  return errorPage(err.status, title, err.userMessage, headers);
}

export function jsonResponse(body: unknown, status = 200, headers: HeadersInit = {}): Response {
  const h = new Headers(headers);
  h.set('content-type', 'application/json; charset=utf-8');
  h.set('cache-control', NO_STORE);
  return new Response(JSON.stringify(body), { status, headers: h });
}

export function jsonError(e: unknown, headers: HeadersInit = {}): Response {
  const err = isAppError(e) ? e : new AppError('internal', 'Something went wrong. Please try again.');
  return jsonResponse({ error: { code: err.code, message: err.userMessage } }, err.status, headers);
}

export function redirect(location: string, status: 302 | 303 = 302, headers: HeadersInit = {}): Response {
  const h = new Headers(headers);
  h.set('location', location);
  h.set('cache-control', NO_STORE);
  return new Response(null, { status, headers: h });
}
