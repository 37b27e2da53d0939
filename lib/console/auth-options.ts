import 'server-only';
import type { NextAuthOptions, Session } from 'next-auth';
import type { JWT } from 'next-auth/jwt';
import CredentialsProvider from 'next-auth/providers/credentials';
import { z } from 'zod';
import { env, type Env } from '../env';
import { clientAddress } from '../http/request';
import { recordConsole } from './console-audit';
import { consoleUsers, getAuditLog, signInThrottle } from './deps';
import { cookieFrom, KNOWN_DEVICE_COOKIE, knownDeviceIssuedAt } from './known-device';
import { log } from '../log';
import { processSingleton } from '../process-singleton';
import { pageSourceIp } from './page-context';
import { sessionStatus, type ConsoleTokenTimes } from './session-policy';
import { signInWithPassword } from './sign-in';
import { renewConsoleToken, signOutConsole } from './sign-out';

declare module 'next-auth' {
  interface Session {
    readonly consoleUserId?: string;
    readonly expired?: boolean;
  }
  interface User {
    /** Why an SSO user's console account may not sign in. */
    readonly refusal?: 'disabled' | 'no-role';
  }
}
declare module 'next-auth/jwt' {
  interface JWT extends ConsoleTokenTimes {
    uid?: string;
    authTime?: number;
    lastSeen?: number;
    expired?: boolean;
  }
}

export const SSO_PROVIDER_ID = 'sso';
const Credentials = z.object({
  username: z.string().min(1).max(254),
  password: z.string().min(1).max(1024),
  /** The current TOTP code, for accounts with a second factor (empty otherwise). */
  code: z.string().max(16).optional(),
});

/**
 * What the sign-in page is told (next-auth hands a thrown message over as ?error=…). A missing, wrong or replayed
 * one-time code reads as a wrong password does: told apart, they would confirm a guessed password to whoever
 * tries stolen ones (the audit record keeps the reason).
 */
const SIGN_IN_ERRORS: Readonly<Record<string, string>> = {
  'second-factor-unreadable': 'SecondFactorUnreadable',
};

/** One header of a next-auth request's plain header object. */
function headerOf(headers: Record<string, unknown> | undefined, name: string): string | undefined {
  const v = headers?.[name];
  return typeof v === 'string' ? v : undefined;
}

/** Source address of a next-auth request (it hands us a plain header object). */
function addressOf(headers: Record<string, unknown> | undefined, e: Env): string {
  const h = new Headers();
  for (const [k, v] of Object.entries(headers ?? {})) if (typeof v === 'string') h.set(k, v);
  return clientAddress(new Request(e.APP_URL, { headers: h }), e);
}

export function ssoConfigured(e: Env = env()): boolean {
  return Boolean(e.CONSOLE_OIDC_ISSUER && e.CONSOLE_OIDC_CLIENT_ID && e.CONSOLE_OIDC_CLIENT_SECRET);
}

/**
 * next-auth configuration of the audit console: JWT sessions in HttpOnly,
 * Secure, SameSite=Lax cookies. Built once per process. Its base URL comes
 * from NEXTAUTH_URL, which next-auth 4 reads itself: scripts/server.mjs
 * derives it from APP_URL before the app loads, and lib/env.ts refuses a
 * value that disagrees with APP_URL.
 */

/** What the console reads of an IdP's claims. */
interface SsoProfile {
  readonly sub: string;
  readonly email?: string;
  /** OpenID Connect's claim; some IdPs send it as a string. */
  readonly email_verified?: boolean | string;
}

/**
 * The e-mail address an SSO sign-in may be known by: only one the IdP says it verified. An account an admin created
 * for an address is linked by it, role and all, so an address anyone could set at a self-service IdP would hand
 * that account to whoever claimed it first; an unverified one is neither linked nor made a user name.
 */
function verifiedEmail(p: SsoProfile): string | undefined {
  return p.email && (p.email_verified === true || p.email_verified === 'true') ? p.email : undefined;
}
export function authOptions(): NextAuthOptions {
  return processSingleton('console-auth-options', () => buildAuthOptions(env()));
}

function buildAuthOptions(e: Env): NextAuthOptions {
  const limits = { idleMinutes: e.SESSION_IDLE_MINUTES, maxHours: e.SESSION_MAX_HOURS };
  const cookie = (name: string) => ({
    name,
    options: { httpOnly: true, sameSite: 'lax' as const, path: '/', secure: e.secureCookies },
  });
  const providers: NextAuthOptions['providers'] = [
    CredentialsProvider({
      id: 'credentials',
      name: 'Console account',
      credentials: {
        username: { label: 'Username', type: 'text' },
        password: { label: 'Password', type: 'password' },
      },
      async authorize(credentials, req) {
        const parsed = Credentials.safeParse(credentials);
        if (!parsed.success) return null;
        const { username, password, code } = parsed.data;
        const result = await signInWithPassword(
          {
            users: await consoleUsers(),
            audit: await getAuditLog(),
            throttle: signInThrottle(),
            secondFactorKey: e.secrets.sessionSecret,
          },
          {
            username,
            password,
            ...(code ? { code } : {}),
            sourceIp: addressOf(req.headers, e),
            knownDeviceSince: knownDeviceIssuedAt(
              e.secrets.sessionSecret,
              username,
              cookieFrom(headerOf(req.headers, 'cookie'), KNOWN_DEVICE_COOKIE),
            ),
          },
        );
        if (result.ok) return { id: result.user.id, name: result.user.username };
        // next-auth turns a thrown error into ?error=<message> for the sign-in page.
        if (result.status === 429)
          throw new Error(result.reason === 'rate-limited' ? 'RateLimited' : 'SignInBusy');
        const shown = SIGN_IN_ERRORS[result.reason];
        if (shown) throw new Error(shown);
        return null;
      },
    }),
  ];
  if (ssoConfigured(e)) {
    providers.push({
      id: SSO_PROVIDER_ID,
      name: 'Single sign-on',
      type: 'oauth',
      wellKnown: `${e.CONSOLE_OIDC_ISSUER!.replace(/\/+$/, '')}/.well-known/openid-configuration`,
      clientId: e.CONSOLE_OIDC_CLIENT_ID,
      clientSecret: e.CONSOLE_OIDC_CLIENT_SECRET,
      authorization: { params: { scope: 'openid email profile' } },
      idToken: true,
      checks: ['pkce', 'state', 'nonce'],
      // The one account look-up of an SSO sign-in: the IdP's subject becomes the console account.
      profile: async (p: SsoProfile) => {
        const email = verifiedEmail(p);
        const user = await (
          await consoleUsers()
        ).upsertSso({ issuer: e.CONSOLE_OIDC_ISSUER!, sub: p.sub, ...(email ? { email } : {}) });
        const refusal = user.disabled ? 'disabled' : user.role === null ? 'no-role' : undefined;
        return {
          id: user.id,
          name: user.username,
          email: email ?? null,
          ...(refusal ? { refusal } : {}),
        };
      },
    });
  }
  return {
    secret: e.secrets.nextAuthSecret,
    providers,
    session: { strategy: 'jwt', maxAge: e.SESSION_MAX_HOURS * 3600, updateAge: 0 },
    jwt: { maxAge: e.SESSION_MAX_HOURS * 3600 },
    pages: { signIn: '/console/sign-in', error: '/console/sign-in' },
    // Codes only: next-auth's own messages may carry an IdP profile or token response.
    logger: {
      error: (code) => log().error({ event: 'console-auth-error', code }, 'console sign-in error'),
      warn: (code) => log().warn({ event: 'console-auth-warning', code }, 'console sign-in warning'),
      debug: () => undefined,
    },
    useSecureCookies: false,
    cookies: {
      sessionToken: cookie('console.session-token'),
      callbackUrl: cookie('console.callback-url'),
      csrfToken: cookie('console.csrf-token'),
      pkceCodeVerifier: cookie('console.pkce'),
      state: cookie('console.state'),
      nonce: cookie('console.nonce'),
    },
    events: {
      // Only a session that is still good can sign out: a replayed, already ended cookie changes nothing.
      async signOut({ token }) {
        try {
          const users = await consoleUsers();
          const now = Date.now();
          const current = await renewConsoleToken(token, users, now, limits);
          if (current.expired || current.uid === undefined) return;
          const sourceIp = await pageSourceIp().catch(() => undefined);
          await signOutConsole(
            { users, audit: await getAuditLog() },
            { userId: current.uid, now, ...(sourceIp !== undefined ? { sourceIp } : {}) },
          );
        } catch {
          log().error({ event: 'console-sign-out-incomplete' }, 'console sign-out not fully recorded');
        }
      },
    },
    callbacks: {
      async signIn({ user, account }) {
        if (account?.provider !== SSO_PROVIDER_ID) return true;
        // `user` is the console account the provider's profile() found or made (unknown users get no role).
        await recordConsole(await getAuditLog(), {
          action: 'console-login',
          userId: user.id,
          outcome: user.refusal ? '4' : '0',
          ...(user.refusal ? { outcomeDesc: user.refusal } : {}),
          detail: 'sso',
        });
        if (!user.refusal)
          await (await consoleUsers()).recordSignIn(user.id, new Date()).catch(() => undefined);
        return !user.refusal;
      },
      async jwt({ token, user, account }): Promise<JWT> {
        const now = Date.now();
        // Both providers name the console account's id.
        if (user && account) return { uid: user.id, authTime: now, lastSeen: now };
        return renewConsoleToken(token, await consoleUsers(), now, limits);
      },
      async session({ session, token }): Promise<Session> {
        const active = sessionStatus(token, Date.now(), limits) !== 'expired' && !token.expired;
        return {
          expires: session.expires,
          ...(active && token.uid ? { consoleUserId: token.uid } : { expired: true }),
        };
      },
    },
  };
}
