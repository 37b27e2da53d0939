import NextAuth from 'next-auth';
import { authOptions } from '@/lib/console/auth-options';
import { passwordSignIn, rateLimitedSignIn, rememberKnownDevice } from '@/lib/console/sign-in-gate';
import { processSingleton } from '@/lib/process-singleton';

export const dynamic = 'force-dynamic';

type Ctx = { params: Promise<{ nextauth: string[] }> };
type Handler = (req: Request, ctx: Ctx) => Promise<Response>;

/** next-auth for the audit console, built once per process on its first request (once env() is known). */
const nextAuth = (): Handler =>
  processSingleton('console-auth-handler', () => NextAuth(authOptions()) as Handler);

async function handler(req: Request, ctx: Ctx): Promise<Response> {
  // Read before next-auth takes the body: the username a password sign-in names.
  const signIn = await passwordSignIn(req, (await ctx.params).nextauth);
  if (!signIn) return nextAuth()(req, ctx);
  const refused = await rateLimitedSignIn(req, signIn.username);
  if (refused) return refused;
  return rememberKnownDevice(signIn.username, await nextAuth()(req, ctx));
}

export { handler as GET, handler as POST };
