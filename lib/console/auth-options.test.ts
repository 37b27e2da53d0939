import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Account } from 'next-auth';
import type { OAuthConfig } from 'next-auth/providers/oauth';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { MemoryAuditLog } from '../../test/memory-audit';

const audit = new MemoryAuditLog();
vi.mock('../audit', () => ({ getAuditLog: async () => audit }));

const ISSUER = 'https://idp.example.org';

beforeAll(() => {
  vi.stubEnv('DATA_DIR', mkdtempSync(path.join(tmpdir(), 'console-auth-')));
  vi.stubEnv('APP_URL', 'http://localhost:3999');
  vi.stubEnv('CONSOLE_ADMIN_PASSWORD', 'first-admin-password');
  vi.stubEnv('CONSOLE_OIDC_ISSUER', ISSUER);
  vi.stubEnv('CONSOLE_OIDC_CLIENT_ID', 'console');
  vi.stubEnv('CONSOLE_OIDC_CLIENT_SECRET', 'client-secret');
  vi.stubEnv('NEXTAUTH_URL', undefined);
});

describe('the console’s next-auth configuration', () => {
  it('is built once per process and leaves the process environment alone', async () => {
    const { authOptions } = await import('./auth-options');
    const before = { ...process.env };
    expect(authOptions()).toBe(authOptions());
    expect(process.env).toEqual(before);
    expect(process.env.NEXTAUTH_URL).toBeUndefined();
  });

  it('looks an SSO user’s account up once per sign-in, and refuses one without a role', async () => {
    const { authOptions, SSO_PROVIDER_ID } = await import('./auth-options');
    const { ConsoleUserStore } = await import('./users');
    const upserts = vi.spyOn(ConsoleUserStore.prototype, 'upsertSso');
    const options = authOptions();
    const sso = options.providers.find((p) => p.id === SSO_PROVIDER_ID) as OAuthConfig<{
      sub: string;
      email?: string;
      email_verified?: boolean;
    }>;
    // What next-auth does with an IdP's answer: profile(), then the signIn and jwt callbacks.
    const user = await sso.profile(
      { sub: 'idp-subject-1', email: 'Officer@Example.org', email_verified: true },
      {},
    );
    const account = { provider: SSO_PROVIDER_ID, providerAccountId: user.id, type: 'oauth' } as Account;
    expect(await options.callbacks!.signIn!({ user, account })).toBe(false);
    const token = await options.callbacks!.jwt!({ token: {}, user, account });
    expect(upserts).toHaveBeenCalledTimes(1);
    expect(user).toMatchObject({ name: 'officer@example.org', refusal: 'no-role' });
    expect(token.uid).toBe(user.id);
    expect(audit.last()).toMatchObject({
      action: 'console-login',
      outcome: '4',
      outcomeDesc: 'no-role',
      user: `console-user/${user.id}`,
    });
  });

  it('links an account an admin created for an address only when the IdP verified that address', async () => {
    const { authOptions, SSO_PROVIDER_ID } = await import('./auth-options');
    const { consoleUsers } = await import('./deps');
    const store = await consoleUsers();
    const planned = await store.create({ username: 'auditor@example.org', role: 'auditor', sso: true });
    const sso = authOptions().providers.find((p) => p.id === SSO_PROVIDER_ID) as OAuthConfig<{
      sub: string;
      email?: string;
      email_verified?: boolean | string;
    }>;
    // Someone who set that address at a self-service IdP, unverified: an account of their own, no role, not the
    // address as its name.
    const claimant = await sso.profile({ sub: 'idp-claimant', email: 'auditor@example.org' }, {});
    expect(claimant).toMatchObject({ refusal: 'no-role', email: null });
    expect(claimant.id).not.toBe(planned.user.id);
    expect(claimant.name).not.toBe('auditor@example.org');
    const unverified = await sso.profile(
      { sub: 'idp-claimant-2', email: 'auditor@example.org', email_verified: false },
      {},
    );
    expect(unverified.id).not.toBe(planned.user.id);
    // The owner, whose IdP verified it (some send the claim as a string): the planned account and its role.
    const owner = await sso.profile(
      { sub: 'idp-owner', email: 'Auditor@Example.org', email_verified: 'true' },
      {},
    );
    expect(owner.id).toBe(planned.user.id);
    expect(owner).not.toHaveProperty('refusal');
  });
});
