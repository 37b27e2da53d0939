import NextAuth from 'next-auth';
import { authOptions } from '@/lib/console/auth-options';
import { rateLimitedSignIn, rememberKnownDevice } from '@/lib/console/sign-in-gate';
import { processSingleton } from '@/lib/process-singleton';

export const dynamic = 'force-dynamic';

type Ctx = { params: Promise<{ nextauth: string[] }> };
type Handler = (req: Request, ctx: Ctx) => Promise<Response>;

/** next-auth for the audit console, built once per process on its first request (once env() is known). */
const nextAuth = (): Handler =>
  processSingleton('console-auth-handler', () => NextAuth(authOptions()) as Handler);

async function handler(req: Request, ctx: Ctx): Promise<Response> {
  const segments = (await ctx.params).nextauth;
  const refused = await rateLimitedSignIn(req, segments);
  if (refused) return refused;
  // Read before next-auth takes the body: the username a successful sign-in makes this browser known to.
  const copy = req.clone();
  return rememberKnownDevice(copy, segments, await nextAuth()(req, ctx));
}

export { handler as GET, handler as POST };
