import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashPassword } from './password';
import { ConsoleUserStore, UserStoreError } from './users';

let dir: string;
let file: string;
let store: ConsoleUserStore;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'console-users-'));
  file = path.join(dir, 'console-users.json');
  store = new ConsoleUserStore(file);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function firstRun(): Promise<string> {
  let revealed = '';
  await store.ensureAdmin({ reveal: (p) => (revealed = p) });
  return revealed;
}

describe('console user store', () => {
  it('creates admin once, reveals the password once, and keeps only a hash in a 0600 file', async () => {
    const password = await firstRun();
    expect(password.length).toBeGreaterThanOrEqual(20);
    let again = false;
    expect(await store.ensureAdmin({ reveal: () => (again = true) })).toBe(false);
    expect(again).toBe(false);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(password);
    expect(text).toContain('scrypt$');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const result = await store.authenticate('admin', password);
    expect(result.ok && result.user.role).toBe('admin');
    // The printed password opens only the page to choose another.
    expect(result.ok && result.user.mustChangePassword).toBe(true);
    expect(JSON.stringify(await store.list())).not.toContain('scrypt$');
  });

  it('makes a hash of an earlier cost again at a successful sign-in, not at a failed one', async () => {
    const password = await firstRun();
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { users: { passwordHash: string }[] } & object;
    const old = await hashPassword(password, { N: 2 ** 15, r: 8, p: 1 });
    stored.users[0]!.passwordHash = old;
    writeFileSync(file, JSON.stringify(stored));
    store = new ConsoleUserStore(file);
    const hashNow = () =>
      (JSON.parse(readFileSync(file, 'utf8')) as { users: { passwordHash: string }[] }).users[0]!
        .passwordHash;
    expect((await store.authenticate('admin', 'not the password')).ok).toBe(false);
    expect(hashNow()).toBe(old);
    expect((await store.authenticate('admin', password)).ok).toBe(true);
    expect(hashNow()).toMatch(/^scrypt\$16384\$8\$5\$/);
    expect((await store.authenticate('admin', password)).ok).toBe(true);
  });

  it('uses a configured first-run password without revealing it', async () => {
    let revealed = false;
    await store.ensureAdmin({ password: 'configured-pass-1', reveal: () => (revealed = true) });
    expect(revealed).toBe(false);
    const result = await store.authenticate('admin', 'configured-pass-1');
    expect(result.ok && result.user.mustChangePassword).toBeFalsy();
    expect(result.ok).toBe(true);
  });

  it('says why a sign-in fails', async () => {
    await firstRun();
    const { user, password } = await store.create({ username: 'Auditor.One', role: 'auditor' });
    expect(user.username).toBe('auditor.one');
    expect(await store.authenticate('nobody', 'x')).toEqual({ ok: false, reason: 'unknown-user' });
    expect((await store.authenticate('auditor.one', 'wrong')).ok).toBe(false);
    const first = await store.authenticate('auditor.one', password!);
    expect(first.ok).toBe(true);
    // The admin who made the account was shown its password: it opens only the page to choose another.
    expect(first.ok && first.user.mustChangePassword).toBe(true);
    await store.update(user.id, { disabled: true });
    expect(await store.authenticate('auditor.one', password!)).toMatchObject({
      ok: false,
      reason: 'disabled',
    });
    await store.update(user.id, { disabled: false, role: null });
    expect(await store.authenticate('auditor.one', password!)).toMatchObject({
      ok: false,
      reason: 'no-role',
    });
  });

  it('refuses duplicate usernames and bad names', async () => {
    await firstRun();
    await expect(store.create({ username: 'admin', role: 'viewer' })).rejects.toBeInstanceOf(UserStoreError);
    await expect(store.create({ username: 'has space', role: 'viewer' })).rejects.toMatchObject({
      code: 'invalid',
    });
  });

  it('never leaves the console without an enabled admin', async () => {
    await firstRun();
    const admin = (await store.list())[0]!;
    await expect(store.update(admin.id, { role: 'auditor' })).rejects.toMatchObject({ code: 'last-admin' });
    await expect(store.update(admin.id, { disabled: true })).rejects.toMatchObject({ code: 'last-admin' });
    const second = await store.create({ username: 'second-admin', role: 'admin' });
    await store.update(admin.id, { disabled: true });
    expect((await store.get(admin.id))?.disabled).toBe(true);
    expect((await store.get(second.user.id))?.role).toBe('admin');
  });

  it('serializes concurrent changes without losing any', async () => {
    await firstRun();
    await Promise.all(
      Array.from({ length: 8 }, (_, i) => store.create({ username: `user-${i}`, role: 'viewer' })),
    );
    expect((await store.list()).map((u) => u.username).sort()).toEqual(
      ['admin', ...Array.from({ length: 8 }, (_, i) => `user-${i}`)].sort(),
    );
  });

  it('gives unknown SSO users no role, and links pre-created accounts by e-mail', async () => {
    await firstRun();
    const stranger = await store.upsertSso({ issuer: 'https://idp', sub: 's-1', email: 'who@example.org' });
    expect(stranger.role).toBeNull();
    expect((await store.upsertSso({ issuer: 'https://idp', sub: 's-1' })).id).toBe(stranger.id);
    const planned = await store.create({ username: 'pat@example.org', role: 'auditor', sso: true });
    expect(planned.password).toBeUndefined();
    const linked = await store.upsertSso({ issuer: 'https://idp', sub: 's-2', email: 'Pat@Example.org' });
    expect(linked).toMatchObject({ id: planned.user.id, role: 'auditor', sso: { sub: 's-2' } });
    // An SSO-only account has no password to guess.
    expect((await store.authenticate('pat@example.org', '')).ok).toBe(false);
  });
});
