import NextAuth from 'next-auth';
import { authOptions } from '@/lib/console/auth-options';
import { rateLimitedSignIn } from '@/lib/console/sign-in-gate';

export const dynamic = 'force-dynamic';

type Ctx = { params: Promise<{ nextauth: string[] }> };

/** next-auth for the audit console (built on first request, once env() is known). */
async function handler(req: Request, ctx: Ctx): Promise<Response> {
  const refused = await rateLimitedSignIn(req, (await ctx.params).nextauth);
  if (refused) return refused;
  return (NextAuth(authOptions()) as (req: Request, ctx: Ctx) => Promise<Response>)(req, ctx);
}

export { handler as GET, handler as POST };
