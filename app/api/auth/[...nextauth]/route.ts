import NextAuth from 'next-auth';
import { authOptions } from '@/lib/console/auth-options';
import { rateLimitedSignIn } from '@/lib/console/sign-in-gate';
import { processSingleton } from '@/lib/process-singleton';

export const dynamic = 'force-dynamic';

type Ctx = { params: Promise<{ nextauth: string[] }> };
type Handler = (req: Request, ctx: Ctx) => Promise<Response>;

/** next-auth for the audit console, built once per process on its first request (once env() is known). */
const nextAuth = (): Handler =>
  processSingleton('console-auth-handler', () => NextAuth(authOptions()) as Handler);

async function handler(req: Request, ctx: Ctx): Promise<Response> {
  const refused = await rateLimitedSignIn(req, (await ctx.params).nextauth);
  if (refused) return refused;
  return nextAuth()(req, ctx);
}

export { handler as GET, handler as POST };
