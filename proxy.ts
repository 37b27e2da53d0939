import { NextResponse, type NextRequest } from 'next/server';
import { env } from '@/lib/env';
import { isDeliberateRequest, readsConsoleData, refuseUndeliberate } from '@/lib/http/fetch-site';
import { embeddedByEhr, isSensitivePath, routedPath, securityHeaders } from '@/lib/http/security-headers';
import { registrations } from '@/lib/smart/registrations';

/**
 * Every response gets the security headers, with a fresh CSP nonce per
 * request (Next.js applies it to its own scripts); anything that can carry
 * patient data or a session is marked no-store.
 */
export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.randomUUID()).toString('base64');
  const e = env();
  const path = routedPath(request.nextUrl.pathname);
  const headers = securityHeaders({
    nonce,
    frameOrigins: embeddedByEhr(path) ? registrations().flatMap((r) => r.frameOrigins) : 'none',
    https: e.APP_URL.startsWith('https://'),
    dev: e.NODE_ENV === 'development',
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('content-security-policy', headers['content-security-policy']!);
  // Console data is read and exported only when the user asked for it, never because another site said so.
  const response =
    readsConsoleData(path) && !isDeliberateRequest(request.headers, request.nextUrl)
      ? refuseUndeliberate(path)
      : NextResponse.next({ request: { headers: requestHeaders } });
  for (const [k, v] of Object.entries(headers)) response.headers.set(k, v);
  if (isSensitivePath(path)) response.headers.set('cache-control', 'no-store, max-age=0');
  return response;
}

export const config = {
  matcher: [{ source: '/((?!_next/static|_next/image|favicon.ico).*)' }],
};
