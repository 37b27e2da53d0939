import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlDriver } from '../audit/driver';
import { pgDriver } from '../audit/driver-pg';
import { pgliteDriver } from '../audit/driver-pglite';
import { pgTestUrl } from '../audit/testing/harness';
import { migrateState } from '../state/schema';
import { twoInstances } from '../state/testing';
import { sqlAccountRecords } from './account-records-sql';
import { checkTotpCode, newTotpSecret, openTotpSecret, sealTotpSecret } from './second-factor';
import { ConsoleUserStore } from './users';

/** Two app servers' account stores over one state database (on PGlite, one process: the same database twice). */
interface Pair {
  readonly a: ConsoleUserStore;
  readonly b: ConsoleUserStore;
  /** What the database itself holds, as an operator with a SQL prompt sees it. */
  readonly raw: () => Promise<string>;
  readonly done: () => Promise<void>;
}

async function storeOn(driver: SqlDriver): Promise<ConsoleUserStore> {
  await migrateState(driver);
  return new ConsoleUserStore(sqlAccountRecords(driver));
}

async function dumpAccounts(driver: SqlDriver): Promise<string> {
  const rows = await driver.query<{ row: string }>(`SELECT t::text AS row FROM app_state.console_users t`);
  return rows.map((r) => r.row).join('\n');
}

function suite(name: string, open: () => Promise<Pair>) {
  describe(name, () => {
    let pair: Pair;
    beforeAll(async () => {
      pair = await open();
    }, 60_000);
    afterAll(async () => {
      await pair.done();
    });

    it('shares every account change between app servers at once', async () => {
      const { a, b } = pair;
      await a.ensureAdmin({ password: 'first-admin-pass', reveal: () => undefined });
      expect(await b.ensureAdmin({ reveal: () => undefined })).toBe(false);
      const { user, password } = await a.create({ username: 'officer', role: 'auditor' });
      expect((await b.authenticate('officer', password!)).ok).toBe(true);
      // Disabled on one server: refused on the other straight away.
      await b.update(user.id, { disabled: true });
      expect(await a.authenticate('officer', password!)).toMatchObject({ ok: false, reason: 'disabled' });
      // Signed out on one server: the other sees when its sessions ended.
      const ended = new Date('2026-12-01T10:00:00Z');
      await a.endSessions(user.id, ended);
      expect((await b.get(user.id))?.sessionsEndedAt).toBe(ended.toISOString());
      // No password hash ever leaves the store.
      expect(JSON.stringify(await b.list())).not.toContain('scrypt$');
    });

    it('loses no change when both servers change accounts at once', async () => {
      const { a, b } = pair;
      await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          (i % 2 ? a : b).create({ username: `user-${i}`, role: 'viewer' }),
        ),
      );
      const names = (await a.list()).map((u) => u.username);
      for (let i = 0; i < 6; i++) expect(names).toContain(`user-${i}`);
      expect(names).toContain('admin');
      expect(names).toContain('officer');
    });

    it('keeps the second factor sealed and spends each code once across servers', async () => {
      const { a, b, raw } = pair;
      const key = Buffer.alloc(32, 9).toString('base64');
      const { user } = await a.create({ username: 'totp-officer', role: 'auditor' });
      const secret = newTotpSecret();
      const now = Date.UTC(2026, 11, 1, 12, 0, 15);
      await a.enrolSecondFactor(user.id, await sealTotpSecret(secret, user.id, key), 1, new Date(now));
      expect((await b.get(user.id))?.secondFactor).toBe(true);
      const dump = await raw();
      expect(dump).toContain('totp-officer');
      expect(dump).not.toContain(secret);
      expect(dump).not.toContain(secret.toLowerCase());
      expect(JSON.stringify(await b.list())).not.toContain('sealed');

      const code = await generate({ secret, epoch: Math.floor(now / 1000) });
      const spend = (store: ConsoleUserStore) =>
        store.useSecondFactor(user.id, async (totp) =>
          checkTotpCode((await openTotpSecret(totp.sealed, user.id, key))!, code, {
            nowMs: now,
            lastStep: totp.lastStep,
          }),
        );
      const results = await Promise.all([spend(a), spend(b), spend(a), spend(b)]);
      expect(results.filter((r) => r?.ok)).toHaveLength(1);
      expect(results.filter((r) => r && !r.ok && r.reason === 'code-replayed')).toHaveLength(3);

      await b.resetSecondFactor(user.id, new Date(now));
      expect((await a.get(user.id))?.secondFactor).toBe(false);
      expect(await raw()).not.toContain('"totp"');
    });
  });
}

suite('console accounts in the state database on PGlite', async () => {
  const driver = await pgliteDriver(undefined);
  const store = await storeOn(driver);
  return { a: store, b: store, raw: () => dumpAccounts(driver), done: () => driver.close() };
});

const PG = pgTestUrl();
if (PG) {
  suite('console accounts in the state database on PostgreSQL, two app servers', async () => {
    const { a, b, done } = await twoInstances(PG, (url) => pgDriver(url, { max: 2 }));
    return { a: await storeOn(a), b: await storeOn(b), raw: () => dumpAccounts(a), done };
  });
} else {
  describe('console accounts on PostgreSQL', () => {
    it.skip('skipped: set AUDIT_TEST_PG_URL to run against PostgreSQL', () => undefined);
  });
}
