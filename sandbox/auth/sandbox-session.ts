/**
 * The sandbox EHR's own sign-in: who is at the keyboard of the EHR or the patient portal. Kept
 * in an HMAC-signed, HttpOnly cookie on the sandbox origin, separate from oidc-provider's session,
 * so tests can sign in once (`/session?user=…`) and then authorize without pages.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import type { UserReference } from '../launch/launch-store';

export const SESSION_COOKIE = 'sbx_session';

const sessionSchema = z.object({
  user: z.string().regex(/^(Practitioner|Patient)\/[A-Za-z0-9.-]{1,64}$/),
  patient: z
    .string()
    .regex(/^[A-Za-z0-9.-]{1,64}$/)
    .optional(),
  noPatientContext: z.boolean().optional(),
  withholdPatientSearch: z.boolean().optional(),
  faults: z.string().max(4000).optional(),
});

export interface SandboxSession {
  readonly user: UserReference;
  /** A clinician's pre-selected patient for standalone launches. */
  readonly patient?: string;
  /** A clinician's standalone sign-in names no patient, even when `launch/patient` is asked (as Epic and Medplum do). */
  readonly noPatientContext?: boolean;
  /** Patient search is not granted to the app (an EHR that has not given it `user/Patient` access). */
  readonly withholdPatientSearch?: boolean;
  /** Faults for the launches of this sign-in (JSON, as an EHR launch's `faults` parameter gives them). */
  readonly faults?: string;
}

export function parseUserReference(value: string | null | undefined): UserReference | undefined {
  const parsed = sessionSchema.shape.user.safeParse(value);
  return parsed.success ? (parsed.data as UserReference) : undefined;
}

export function readCookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return undefined;
}

export class SessionCodec {
  readonly #key = randomBytes(32);

  encode(session: SandboxSession): string {
    const body = Buffer.from(JSON.stringify(session)).toString('base64url');
    return `${body}.${this.#sign(body)}`;
  }

  decode(value: string | undefined): SandboxSession | undefined {
    if (!value) return undefined;
    const [body, signature] = value.split('.');
    if (!body || !signature) return undefined;
    const expected = Buffer.from(this.#sign(body));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    try {
      const parsed = sessionSchema.safeParse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
      return parsed.success ? (parsed.data as SandboxSession) : undefined;
    } catch {
      return undefined;
    }
  }

  read(req: IncomingMessage): SandboxSession | undefined {
    return this.decode(readCookie(req, SESSION_COOKIE));
  }

  /** Set-Cookie value; `secure` when the sandbox is served over https. */
  setCookie(session: SandboxSession | undefined, secure: boolean): string {
    const attributes = `Path=/; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
    return session
      ? `${SESSION_COOKIE}=${this.encode(session)}; ${attributes}`
      : `${SESSION_COOKIE}=; Max-Age=0; ${attributes}`;
  }

  #sign(body: string): string {
    return createHmac('sha256', this.#key).update(body).digest('base64url');
  }
}
