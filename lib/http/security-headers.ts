/**
 * Response headers a hospital security review looks for, built in one place.
 * The Content-Security-Policy carries a per-request nonce and no inline
 * scripts; `frame-ancestors` names exactly the registered EHR origins that
 * embed the app (and the app itself).
 */
export interface SecurityHeaderOptions {
  readonly nonce: string;
  /** Origins allowed to frame the app (registered EHRs); `none` for pages no EHR embeds (see `embeddedByEhr`). */
  readonly frameOrigins: readonly string[] | 'none';
  /** Served over HTTPS: add HSTS. */
  readonly https: boolean;
  /** Development: React needs eval for its error overlay. */
  readonly dev: boolean;
}

export function contentSecurityPolicy(o: SecurityHeaderOptions): string {
  const ancestors =
    o.frameOrigins === 'none'
      ? "'none'"
      : ["'self'", ...new Set(o.frameOrigins.map((u) => new URL(u).origin))].join(' ');
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${o.nonce}' 'strict-dynamic'${o.dev ? " 'unsafe-eval'" : ''}`,
    // Inline style attributes position chart points; no inline scripts are allowed anywhere.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${ancestors}`,
    ...(o.https ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
}

export function securityHeaders(o: SecurityHeaderOptions): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(o),
    // Launch and authorization codes are in our URLs: never send them on in a Referer.
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    'permissions-policy':
      'camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), hid=(), midi=(), display-capture=(), browsing-topics=()',
    'cross-origin-resource-policy': 'same-origin',
    ...(o.https ? { 'strict-transport-security': 'max-age=63072000; includeSubDomains' } : {}),
  };
}

/**
 * The path as a router matches it, percent-encoding decoded: "/%63onsole" is judged as "/console", so no spelling
 * of a console address escapes its frame, cache and cross-site rules (this router answers such a spelling 404, a
 * router that decodes it would serve the console). One that does not decode is judged as it stands.
 */
export function routedPath(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}

/**
 * Paths an EHR may show in its frame: everything but the audit console and
 * what hangs off it (its sign-in, the open-server search a console user
 * runs), which no EHR embeds, so no registered EHR can frame them either.
 */
export function embeddedByEhr(pathname: string): boolean {
  return !/^\/(console|open|api\/console|api\/auth|api\/open)(\/|$)/.test(pathname);
}

/** Paths whose responses can carry patient data or session state: never cached anywhere. */
export function isSensitivePath(pathname: string): boolean {
  return /^\/(chart|api|console|open|launch|callback)(\/|$)/.test(pathname);
}
