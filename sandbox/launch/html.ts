/**
 * Server-rendered HTML for the sandbox's own pages: every interpolated value goes through
 * `escapeHtml`, and each page carries a restrictive Content-Security-Policy (inline styles only,
 * no scripts).
 */
import type { ServerResponse } from 'node:http';

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string | number | boolean): string {
  return String(value).replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

const STYLE = `
body{font-family:system-ui,sans-serif;margin:0;color:#1f2937;background:#f3f4f6}
header{background:#0f4c81;color:#fff;padding:.6rem 1rem;display:flex;gap:1rem;align-items:center}
header h1{font-size:1.1rem;margin:0}
main{max-width:42rem;margin:1.5rem auto;background:#fff;padding:1.25rem 1.5rem;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.15)}
label{display:block;margin:.75rem 0 .25rem;font-weight:600}
select,input[type=text],input[type=password],textarea{width:100%;padding:.4rem;font:inherit;box-sizing:border-box}
fieldset{border:1px solid #d1d5db;margin-top:.75rem}
button{margin-top:1rem;padding:.5rem 1rem;font:inherit;background:#0f4c81;color:#fff;border:0;border-radius:4px;cursor:pointer}
.hint{color:#4b5563;font-size:.9rem}
.banner{background:#fef3c7;padding:.4rem 1rem;font-size:.9rem}
iframe{border:0;width:100%;height:calc(100vh - 5.5rem);display:block;background:#fff}
`;

export interface PageOptions {
  /** Origins this page may frame (the chart app, for the embedded-EHR page). */
  readonly frameOrigins?: readonly string[];
  /** Origins forms may post or redirect to; the browser checks every hop of a form's redirects. */
  readonly formOrigins?: readonly string[];
}

export function renderPage(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

export function sendHtml(res: ServerResponse, status: number, html: string, options: PageOptions = {}): void {
  // A framed app bounces through the sandbox's own authorization pages inside the frame.
  const frames = options.frameOrigins?.length ? ["'self'", ...options.frameOrigins].join(' ') : "'none'";
  const forms = ["'self'", ...(options.formOrigins ?? [])].join(' ');
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; frame-src ${frames}; form-action ${forms}; base-uri 'none'`,
  });
  res.end(html);
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(JSON.stringify(body));
}

export function redirect(res: ServerResponse, location: string, status: 302 | 303 = 302): void {
  res.writeHead(status, { location, 'cache-control': 'no-store' });
  res.end();
}

/** A plain error page; `message` is escaped, never raw. */
export function sendErrorPage(res: ServerResponse, status: number, message: string): void {
  sendHtml(
    res,
    status,
    renderPage(
      'Sandbox EHR error',
      `<main><h2>Something went wrong</h2><p>${escapeHtml(message)}</p></main>`,
    ),
  );
}
