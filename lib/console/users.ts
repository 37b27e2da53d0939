import 'server-only';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { generatePassword, hashPassword, needsRehash, verifyPassword } from './password';
import { CONSOLE_ROLES, type ConsoleRole } from './roles';

/**
 * Console accounts: in their own small JSON file by default, or in the shared
 * state database when several app servers must see the same accounts (an
 * account disabled or signed out on one is refused on all) — never in the
 * audit database, which holds audit records and nothing else.
 */

const UserSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
  username: z.string().min(1).max(254),
  role: z.enum(CONSOLE_ROLES as [ConsoleRole, ...ConsoleRole[]]).nullable(),
  disabled: z.boolean(),
  passwordHash: z.string().optional(),
  sso: z.object({ issuer: z.string(), sub: z.string() }).optional(),
  /** Console sessions that began at or before this instant are refused (sign-out, or ended by an admin). */
  sessionsEndedAt: z.iso.datetime().optional(),
  /** Set by an admin's password reset: the next sign-in must choose a new password before anything else. */
  mustChangePassword: z.boolean().optional(),
  lastSignInAt: z.iso.datetime().optional(),
  /** TOTP second factor of a local account: the secret only sealed, and the time step of the last code accepted. */
  totp: z
    .object({
      sealed: z.string().min(1),
      lastStep: z.number().int().nonnegative(),
      enrolledAt: z.iso.datetime(),
    })
    .optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const FileSchema = z.object({ version: z.literal(1), users: z.array(UserSchema) });

export type UserRecord = z.infer<typeof UserSchema>;
/** An account as the rest of the app sees it: never the password hash nor the sealed second factor. */
export type ConsoleUser = Omit<UserRecord, 'passwordHash' | 'totp'> & {
  readonly local: boolean;
  readonly secondFactor: boolean;
  /** Local account without a second factor where the console requires one: nothing else until it is set up. */
  readonly mustEnrolSecondFactor?: true;
};
export type StoredSecondFactor = NonNullable<UserRecord['totp']>;

export type AuthResult =
  | { readonly ok: true; readonly user: ConsoleUser }
  | {
      readonly ok: false;
      readonly reason: 'unknown-user' | 'bad-password' | 'disabled' | 'no-role';
      readonly user?: ConsoleUser;
    };

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._@-]{1,62}$/;

export interface AccountPolicy {
  /** Every local account must have a second factor (CONSOLE_REQUIRE_SECOND_FACTOR). */
  readonly requireSecondFactor?: boolean;
}

const viewWith =
  (policy: AccountPolicy) =>
  ({ passwordHash, totp, ...rest }: UserRecord): ConsoleUser => ({
    ...rest,
    local: passwordHash !== undefined,
    secondFactor: totp !== undefined,
    ...(policy.requireSecondFactor && passwordHash !== undefined && totp === undefined
      ? { mustEnrolSecondFactor: true as const }
      : {}),
  });

export class UserStoreError extends Error {
  constructor(
    readonly code: 'exists' | 'not-found' | 'last-admin' | 'invalid',
    message: string,
  ) {
    super(message);
    this.name = 'UserStoreError';
  }
}

/** Where the accounts are kept: read them all, or change them all at once, one change at a time. */
export interface AccountRecords {
  load(): Promise<UserRecord[]>;
  /** Runs read-modify-write steps one at a time (across every app server sharing the records). */
  mutate<T>(change: (users: UserRecord[]) => Promise<{ users: UserRecord[]; result: T }>): Promise<T>;
}

/**
 * The embedded default: a JSON file (mode 0600). Writes go to a temporary
 * file renamed over the old one, so a crash leaves either the old or the new
 * file, never half of one. One process owns the file.
 */
export function fileAccountRecords(file: string): AccountRecords {
  let queue: Promise<unknown> = Promise.resolve();
  const load = async (): Promise<UserRecord[]> => {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    return FileSchema.parse(JSON.parse(text)).users;
  };
  const save = async (users: readonly UserRecord[]): Promise<void> => {
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    const handle = await open(tmp, 'wx', 0o600);
    try {
      await handle.writeFile(JSON.stringify({ version: 1, users }, null, 2));
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(tmp, file);
      await chmod(file, 0o600);
    } catch (e) {
      await unlink(tmp).catch(() => undefined);
      throw e;
    }
  };
  return {
    load,
    mutate(change) {
      const run = queue.then(async () => {
        const { users, result } = await change(await load());
        await save(users);
        return result;
      });
      queue = run.catch(() => undefined);
      return run;
    },
  };
}

/** Parses account rows stored elsewhere (the shared database) with the same rules as the file. */
export function parseAccountRecords(values: readonly unknown[]): UserRecord[] {
  return values.map((v) => UserSchema.parse(v));
}

export class ConsoleUserStore {
  /** A hash to check against when the account does not exist, so both cases take as long. */
  private decoy: Promise<string> | undefined;
  private readonly records: AccountRecords;
  private readonly view: (u: UserRecord) => ConsoleUser;

  /** A JSON file path (the embedded default), or shared records (PostgreSQL, for several app servers). */
  constructor(records: string | AccountRecords, policy: AccountPolicy = {}) {
    this.records = typeof records === 'string' ? fileAccountRecords(records) : records;
    this.view = viewWith(policy);
  }

  private load(): Promise<UserRecord[]> {
    return this.records.load();
  }

  private mutate<T>(
    change: (users: UserRecord[]) => Promise<{ users: UserRecord[]; result: T }>,
  ): Promise<T> {
    return this.records.mutate(change);
  }

  /**
   * First run: creates `admin` with the given password, or a random one that
   * is handed to `reveal` once and stored only as a hash. Returns whether it did.
   */
  async ensureAdmin(opts: {
    readonly password?: string;
    readonly reveal: (password: string) => void;
  }): Promise<boolean> {
    const created = await this.mutate(async (users) => {
      if (users.length > 0) return { users, result: undefined };
      const password = opts.password ?? generatePassword();
      const now = new Date().toISOString();
      const admin: UserRecord = {
        id: newId(),
        username: 'admin',
        role: 'admin',
        disabled: false,
        passwordHash: await hashPassword(password),
        // A generated password was printed, and printed output is often kept: it opens only the page to replace it.
        ...(opts.password === undefined ? { mustChangePassword: true } : {}),
        createdAt: now,
        updatedAt: now,
      };
      return { users: [admin], result: password };
    });
    // Shown only once the account is safely written.
    if (created !== undefined && opts.password === undefined) opts.reveal(created);
    return created !== undefined;
  }

  async list(): Promise<ConsoleUser[]> {
    return (await this.load()).map(this.view);
  }

  async get(id: string): Promise<ConsoleUser | undefined> {
    const u = (await this.load()).find((x) => x.id === id);
    return u ? this.view(u) : undefined;
  }

  async authenticate(username: string, password: string): Promise<AuthResult> {
    const user = (await this.load()).find(
      (u) => u.username === username.trim().toLowerCase() && u.passwordHash !== undefined,
    );
    if (!user?.passwordHash) {
      this.decoy ??= hashPassword(generatePassword());
      await verifyPassword(password, await this.decoy);
      return { ok: false, reason: 'unknown-user' };
    }
    if (!(await verifyPassword(password, user.passwordHash)))
      return { ok: false, reason: 'bad-password', user: this.view(user) };
    if (user.disabled) return { ok: false, reason: 'disabled', user: this.view(user) };
    if (user.role === null) return { ok: false, reason: 'no-role', user: this.view(user) };
    if (needsRehash(user.passwordHash)) await this.rehash(user.id, user.passwordHash, password);
    return { ok: true, user: this.view(user) };
  }

  /**
   * A hash made at an earlier cost is made again at today's with the password just verified (an older cost's
   * memory, 128 MiB at N = 2^17, is otherwise spent at each sign-in). Only while the stored hash is still the one
   * verified; a failure leaves the old hash, which keeps working.
   */
  private async rehash(id: string, verified: string, password: string): Promise<void> {
    try {
      const passwordHash = await hashPassword(password);
      await this.mutate(async (users) => ({
        users: users.map((u) => (u.id === id && u.passwordHash === verified ? { ...u, passwordHash } : u)),
        result: undefined,
      }));
    } catch {
      /* the old hash stays and still verifies */
    }
  }

  /**
   * An SSO sign-in: the account linked to this issuer and subject, else the
   * account an admin created for this e-mail address (linked now), else a new
   * account with no role, which an admin has to grant before it can do anything.
   */
  async upsertSso(identity: {
    readonly issuer: string;
    readonly sub: string;
    readonly email?: string;
  }): Promise<ConsoleUser> {
    return this.mutate(async (users) => {
      const bySub = users.find((u) => u.sso?.issuer === identity.issuer && u.sso.sub === identity.sub);
      if (bySub) return { users, result: this.view(bySub) };
      const email = identity.email?.trim().toLowerCase();
      const now = new Date().toISOString();
      const byEmail = email
        ? users.find((u) => u.username === email && u.passwordHash === undefined && u.sso === undefined)
        : undefined;
      if (byEmail) {
        const linked = { ...byEmail, sso: { issuer: identity.issuer, sub: identity.sub }, updatedAt: now };
        return { users: users.map((u) => (u.id === linked.id ? linked : u)), result: this.view(linked) };
      }
      const created: UserRecord = {
        id: newId(),
        username:
          email && !users.some((u) => u.username === email) ? email : `sso-${identity.sub}`.slice(0, 254),
        role: null,
        disabled: false,
        sso: { issuer: identity.issuer, sub: identity.sub },
        createdAt: now,
        updatedAt: now,
      };
      return { users: [...users, created], result: this.view(created) };
    });
  }

  /** A local account with a random password, returned once; or, with `sso`, an account an SSO user will be linked to by e-mail. */
  async create(input: {
    readonly username: string;
    readonly role: ConsoleRole;
    readonly sso?: boolean;
  }): Promise<{ user: ConsoleUser; password?: string }> {
    const username = input.username.trim().toLowerCase();
    if (!USERNAME_PATTERN.test(username))
      throw new UserStoreError(
        'invalid',
        'Usernames are 2–63 lowercase letters, digits, dots, dashes, underscores or @.',
      );
    return this.mutate(async (users) => {
      if (users.some((u) => u.username === username))
        throw new UserStoreError('exists', 'An account with this username already exists.');
      const password = input.sso ? undefined : generatePassword();
      const now = new Date().toISOString();
      const user: UserRecord = {
        id: newId(),
        username,
        role: input.role,
        disabled: false,
        // The admin who created the account was shown its password: it opens only the page to replace it, so
        // what the account does from then on is its owner's alone.
        ...(password !== undefined
          ? { passwordHash: await hashPassword(password), mustChangePassword: true }
          : {}),
        createdAt: now,
        updatedAt: now,
      };
      return {
        users: [...users, user],
        result: { user: this.view(user), ...(password !== undefined ? { password } : {}) },
      };
    });
  }

  /**
   * Ends every console session of the account begun up to `at`: the
   * current-user check refuses them from then on, on every app server that
   * reads this store.
   */
  async endSessions(id: string, at: Date): Promise<ConsoleUser> {
    return this.change(id, (before) => ({
      ...before,
      sessionsEndedAt: at.toISOString(),
      updatedAt: at.toISOString(),
    }));
  }

  /**
   * An admin's password reset of a local account: a new random password,
   * returned once, that must be changed at the next sign-in; every current
   * session of the account ends.
   */
  async resetPassword(id: string, at: Date): Promise<{ user: ConsoleUser; password: string }> {
    const password = generatePassword();
    const passwordHash = await hashPassword(password);
    return this.mutate(async (users) => {
      const before = users.find((u) => u.id === id);
      if (!before) throw new UserStoreError('not-found', 'No such account.');
      if (before.passwordHash === undefined)
        throw new UserStoreError(
          'invalid',
          'This account signs in through single sign-on and has no password.',
        );
      const after: UserRecord = {
        ...before,
        passwordHash,
        mustChangePassword: true,
        sessionsEndedAt: at.toISOString(),
        updatedAt: at.toISOString(),
      };
      return {
        users: users.map((u) => (u.id === id ? after : u)),
        result: { user: this.view(after), password },
      };
    });
  }

  /**
   * The owner's own change: the current password must match; the new one is checked by `passwordProblem`.
   * Every session of the account ends, this one too: whoever knew the old password is signed out everywhere.
   */
  async changePassword(
    id: string,
    current: string,
    next: string,
    at: Date = new Date(),
  ): Promise<ConsoleUser> {
    const problem = passwordProblem(next, current);
    if (problem) throw new UserStoreError('invalid', problem);
    const passwordHash = await hashPassword(next);
    return this.mutate(async (users) => {
      const before = users.find((u) => u.id === id);
      if (!before?.passwordHash) throw new UserStoreError('not-found', 'No such account.');
      if (!(await verifyPassword(current, before.passwordHash)))
        throw new UserStoreError('invalid', 'The current password is not right.');
      const { mustChangePassword: _done, ...rest } = before;
      const after: UserRecord = {
        ...rest,
        passwordHash,
        sessionsEndedAt: at.toISOString(),
        updatedAt: at.toISOString(),
      };
      return { users: users.map((u) => (u.id === id ? after : u)), result: this.view(after) };
    });
  }

  /** Notes a successful sign-in, shown to admins as "last sign-in". */
  async recordSignIn(id: string, at: Date): Promise<void> {
    await this.mutate(async (users) => ({
      users: users.map((u) => (u.id === id ? { ...u, lastSignInAt: at.toISOString() } : u)),
      result: undefined,
    }));
  }

  /** The account a typed username names, for recording whom a refused sign-in was aimed at. */
  async findByUsername(username: string): Promise<ConsoleUser | undefined> {
    const wanted = username.trim().toLowerCase();
    const u = (await this.load()).find((x) => x.username === wanted);
    return u ? this.view(u) : undefined;
  }

  /** Changes a role or the disabled flag; refuses to leave the console without an enabled admin. */
  async update(
    id: string,
    change: { readonly role?: ConsoleRole | null; readonly disabled?: boolean },
  ): Promise<{ before: ConsoleUser; after: ConsoleUser }> {
    return this.mutate(async (users) => {
      const before = users.find((u) => u.id === id);
      if (!before) throw new UserStoreError('not-found', 'No such account.');
      const after: UserRecord = { ...before, ...change, updatedAt: new Date().toISOString() };
      const next = users.map((u) => (u.id === id ? after : u));
      if (!next.some((u) => u.role === 'admin' && !u.disabled)) {
        throw new UserStoreError('last-admin', 'The console needs at least one enabled admin.');
      }
      return { users: next, result: { before: this.view(before), after: this.view(after) } };
    });
  }

  /**
   * Confirms an enrolment: stores the sealed secret and the step of the code
   * that confirmed it (that code cannot be used again to sign in).
   */
  async enrolSecondFactor(id: string, sealed: string, step: number, at: Date): Promise<ConsoleUser> {
    return this.change(id, (before) => {
      if (before.passwordHash === undefined)
        throw new UserStoreError(
          'invalid',
          'Single sign-on accounts use the second factor of their sign-on.',
        );
      if (before.totp)
        throw new UserStoreError(
          'invalid',
          'This account already has a second factor; an admin can reset it.',
        );
      return {
        ...before,
        totp: { sealed, lastStep: step, enrolledAt: at.toISOString() },
        updatedAt: at.toISOString(),
      };
    });
  }

  /** An admin's reset: the account signs in with its password alone and is asked to enrol again. */
  async resetSecondFactor(id: string, at: Date): Promise<ConsoleUser> {
    return this.change(id, (before) => {
      if (!before.totp) throw new UserStoreError('invalid', 'This account has no second factor.');
      const { totp: _removed, ...rest } = before;
      return { ...rest, updatedAt: at.toISOString() };
    });
  }

  /**
   * Runs `check` on the account's second factor and remembers the time step
   * of a code it accepts, one change at a time across every app server, so
   * two sign-ins can never spend the same code. Undefined without a second factor.
   */
  async useSecondFactor<R extends { readonly ok: true; readonly step: number } | { readonly ok: false }>(
    id: string,
    check: (totp: StoredSecondFactor) => Promise<R>,
  ): Promise<R | undefined> {
    return this.mutate(async (users) => {
      const before = users.find((u) => u.id === id);
      if (!before?.totp) return { users, result: undefined };
      const result = await check(before.totp);
      if (!result.ok) return { users, result };
      const after: UserRecord = { ...before, totp: { ...before.totp, lastStep: result.step } };
      return { users: users.map((u) => (u.id === id ? after : u)), result };
    });
  }

  private change(id: string, apply: (before: UserRecord) => UserRecord): Promise<ConsoleUser> {
    return this.mutate(async (users) => {
      const before = users.find((u) => u.id === id);
      if (!before) throw new UserStoreError('not-found', 'No such account.');
      const after = apply(before);
      return { users: users.map((u) => (u.id === id ? after : u)), result: this.view(after) };
    });
  }
}

/** Why a new password is not acceptable, or undefined. */
export function passwordProblem(next: string, current?: string): string | undefined {
  if (next.length < 12) return 'Choose a password of at least 12 characters.';
  if (next.length > 256) return 'Choose a password of at most 256 characters.';
  if (current !== undefined && next === current) return 'Choose a password different from the current one.';
  return undefined;
}

function newId(): string {
  return randomBytes(12).toString('base64url');
}
