import compression from 'compression';

// Responses are compressed (gzip) for browsers that accept it: a large record's chart data is megabytes of JSON,
// and the chart page's scripts half a megabyte, which a clinician on a remote or slow link would otherwise wait for.
// Next.js's own compression (off in next.config.ts) skipped the route handlers' answers, whose content type it is
// handed as a list, and took the audit console's pages. Streamed pages still arrive in pieces: Next.js flushes the
// compressor after each chunk it writes. The audit console and its sign-in stay uncompressed: their pages carry CSRF
// tokens and session details beside text a visitor can influence, which compression would let an observer of
// response sizes guess (BREACH).
const UNCOMPRESSED = /^\/(?:console|api\/console|api\/auth)(?:\/|$)/;

// Text: pages, scripts, styles, JSON (FHIR's too), the RSC payloads (text/x-component), SVG. Not images or fonts.
const COMPRESSIBLE_TYPE =
  /^(?:text\/[\w.+-]+|application\/(?:[\w.-]+\+)?(?:json|xml)|application\/(?:javascript|x-ndjson)|image\/svg\+xml)\s*(?:;|$)/i;

/** A response's media type; Next.js sets it as a one-element list on the answers of route handlers. */
function contentType(res) {
  const type = res.getHeader('content-type');
  return String((Array.isArray(type) ? type[0] : type) ?? '');
}

/** Whether a response to this request URL may be compressed (by path; the content type is checked later). */
export function compressible(url) {
  let path;
  try {
    // Origin-form ('/path', even '//path') on the app's own origin; absolute-form as it stands.
    const target = url ?? '/';
    path = decodeURIComponent(
      new URL(target.startsWith('/') ? `http://localhost${target}` : target).pathname,
    );
  } catch {
    return false;
  }
  return !UNCOMPRESSED.test(path.replace(/\/{2,}/g, '/').toLowerCase());
}

/** The compression step of the app's server: call it with (req, res, next) before Next.js handles the request. */
export function compressResponses() {
  // Decided on the URL as the client sent it: Next.js rewrites req.url while it handles a request, before the
  // response's headers (where compression decides) are written.
  const allowed = new WeakMap();
  const middleware = compression({
    filter: (req, res) => allowed.get(req) === true && COMPRESSIBLE_TYPE.test(contentType(res)),
  });
  return (req, res, next) => {
    allowed.set(req, compressible(req.url));
    // Gzip, never Brotli: a Brotli compressor holds a window of up to 4 MiB for each response in flight (measured:
    // 40 MiB more at the app server's peak over `npm run bench:chart`), gzip 256 KiB, for output about 15% larger.
    const accepts = req.headers['accept-encoding'];
    if (typeof accepts === 'string' && /\bbr\b/i.test(accepts))
      req.headers['accept-encoding'] = accepts
        .split(',')
        .filter((coding) => coding.split(';')[0].trim().toLowerCase() !== 'br')
        .join(',');
    middleware(req, res, next);
  };
}
