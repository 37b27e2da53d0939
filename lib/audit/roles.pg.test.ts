import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditUnavailableError } from './errors';
import { generateAuditKeys } from './crypto';
import { createAuditStore } from './index';
import { asApp, freshPgDatabase, pgHarness, pgTestUrl, type Harness } from './testing/harness';
import { readInput } from './testing/store-suite';

const url = pgTestUrl();

describe.skipIf(!url)(
  'audit store on PostgreSQL: roles, several app instances, a server going away (needs AUDIT_TEST_PG_URL)',
  () => {
    let h: Harness;
    let appUrl: string;
    let ownerUrl: string;
    beforeAll(async () => {
      h = await pgHarness(url as string);
      await h.store.append(Array.from({ length: 5 }, (_, i) => readInput('roles', i)));
      const u = new URL(url as string);
      const db = (await h.admin.query(`SELECT current_database() AS d`))[0]?.d as string;
      u.pathname = `/${db}`;
      ownerUrl = u.toString();
      appUrl = asApp(ownerUrl);
    });
    afterAll(async () => {
      await h?.dispose();
    });

    const attempts = [
      `UPDATE audit.events SET outcome = '0'`,
      `DELETE FROM audit.events WHERE seq = 1`,
      `TRUNCATE audit.events`,
      `UPDATE audit.checkpoints SET note = ''`,
      `DELETE FROM audit.nodes`,
      `TRUNCATE audit.heads`,
      `UPDATE audit.patient_index SET tenant = 'x'`,
      `DELETE FROM audit.patient_index`,
      `TRUNCATE audit.patient_index`,
    ];

    async function as(connection: string, setup: string | undefined, sql: string): Promise<void> {
      const c = new pg.Client({ connectionString: connection });
      await c.connect();
      try {
        if (setup) await c.query(setup);
        await c.query(sql);
      } finally {
        await c.end();
      }
    }

    it.each(attempts)('the app role lacks the privilege: %s', async (sql) => {
      await expect(as(appUrl, undefined, sql)).rejects.toThrow(/permission denied/);
    });

    it.each(attempts)('the owner role is stopped by the triggers: %s', async (sql) => {
      await expect(as(ownerUrl, `SET ROLE audit_owner`, sql)).rejects.toThrow(/append-only/);
    });

    it.each(attempts)('a superuser in replica mode is stopped by the ALWAYS triggers: %s', async (sql) => {
      await expect(as(ownerUrl, `SET session_replication_role = replica`, sql)).rejects.toThrow(
        /append-only/,
      );
    });

    // Least privilege: the app login reads, and writes only through the two owner functions.
    it.each([
      `UPDATE audit.heads SET size = size`,
      `INSERT INTO audit.heads (tenant, size, frontier, last_leaf, root) VALUES ('x', 0, '', '', '')`,
      `SELECT 1 FROM audit.heads FOR UPDATE`,
      `INSERT INTO audit.schema_version (version) VALUES (99)`,
      `INSERT INTO audit.checkpoints (tenant, tree_size, root, signed_at, note) VALUES ('roles', 99, '', now(), '')`,
      `INSERT INTO audit.events SELECT * FROM audit.events LIMIT 0`,
      `INSERT INTO audit.nodes (tenant, level, idx, hash) VALUES ('roles', 4, 99, sha256(''))`,
    ])('the app login may not write directly: %s', async (sql) => {
      await expect(as(appUrl, undefined, sql)).rejects.toThrow(/permission denied/);
    });

    it('the checkpoint function refuses a note for another size or a size beyond the head', async () => {
      await h.store.checkpoint('roles');
      const c = new pg.Client({ connectionString: appUrl });
      await c.connect();
      try {
        const { rows } = await c.query<{ tree_size: string; root: Buffer; note: string }>(
          `SELECT tree_size, root, note FROM audit.checkpoints WHERE tenant = 'roles' ORDER BY tree_size DESC LIMIT 1`,
        );
        const cp = rows[0]!;
        const add = (size: number, note: string) =>
          c.query(`SELECT audit.add_checkpoint('roles', $1, $2, now(), $3)`, [size, cp.root, note]);
        await expect(add(Number(cp.tree_size) + 1, cp.note)).rejects.toThrow(
          /does not name this tenant, size and root/,
        );
        const beyond = cp.note.replace(`\n${cp.tree_size}\n`, `\n${Number(cp.tree_size) + 1}\n`);
        await expect(add(Number(cp.tree_size) + 1, beyond)).rejects.toThrow(/not for a head of this log/);
        // The same note again is accepted and answered with the stored one.
        await expect(add(Number(cp.tree_size), cp.note)).resolves.toMatchObject({
          rows: [{ add_checkpoint: cp.note }],
        });
      } finally {
        await c.end();
      }
    });

    it('the app role may append and read but not alter the schema', async () => {
      await expect(as(appUrl, undefined, `ALTER TABLE audit.events DISABLE TRIGGER USER`)).rejects.toThrow(
        /owner/,
      );
      await expect(as(appUrl, undefined, `SELECT count(*) FROM audit.events`)).resolves.toBeUndefined();
      expect((await h.store.verify({ tenant: 'roles' })).ok).toBe(true);
    });

    it('the app login alone cannot create the schema: startup fails until the owner migrates', async () => {
      const db = await freshPgDatabase(url as string);
      try {
        await expect(
          createAuditStore({
            database: { kind: 'postgres', url: asApp(db.url) },
            keys: generateAuditKeys(),
            checkpoints: null,
          }),
        ).rejects.toThrow(/AUDIT_DATABASE_OWNER_URL/);
      } finally {
        await db.drop();
      }
    });

    it('two app instances appending to one log stay gap-free and fork-free', async () => {
      const other = await h.openAnother!();
      const tenant = 'two-instances';
      const both = await Promise.all(
        Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? h.store : other).append([readInput(tenant, i)])),
      );
      expect(both.map((r) => r[0]!.seq).sort((a, b) => a - b)).toEqual([...Array(200).keys()]);
      await h.store.checkpoint(tenant);
      const rep = await other.verify({ tenant });
      expect(rep.tenants[0]?.problems).toEqual([]);
      expect(rep.ok).toBe(true);
    });

    it('one signer per log across instances: a held signer lock skips signing until it is released', async () => {
      const tenant = 'one-signer';
      const other = new pg.Client({ connectionString: ownerUrl });
      await other.connect();
      try {
        await other.query('BEGIN');
        // Held before the append, so the store's own debounced signer (50 ms) meets it too.
        await other.query(`SELECT pg_advisory_xact_lock(727170002, hashtext($1))`, [tenant]);
        await h.store.append([readInput(tenant, 0)]);
        await expect(h.store.checkpoint(tenant)).resolves.toBeUndefined();
        expect((await h.store.treeHead(tenant)).checkpoint).toBeUndefined();
        await other.query('COMMIT');
        // The skipped run is retried by itself once the other signer is done.
        await expect
          .poll(async () => (await h.store.treeHead(tenant)).checkpoint?.size, { timeout: 5000 })
          .toBe(1);
      } finally {
        await other.end();
      }
    });

    it('records an append cut off by a dropped connection once, and refuses it when the retry is cut off too', async () => {
      const tenant = 'goes-away';
      await h.store.append([readInput(tenant, 0)]);
      // Hold the chain head so the writer waits inside its statement, then kill the app's connections
      // (`times` times: each retry waits for the head again). Watched from a connection of its own: inside
      // the blocker's transaction, pg_stat_activity would answer from one snapshot.
      const cutOff = async (inputs: Parameters<typeof h.store.append>[0], times: number) => {
        const blocker = new pg.Client({ connectionString: ownerUrl });
        const watcher = new pg.Client({ connectionString: ownerUrl });
        await Promise.all([blocker.connect(), watcher.connect()]);
        try {
          await blocker.query('BEGIN');
          await blocker.query(`SELECT 1 FROM audit.heads WHERE tenant = $1 FOR UPDATE`, [tenant]);
          const pending = h.store.append(inputs).then(
            (receipts) => receipts.map((r) => r.seq),
            (e: unknown) => e,
          );
          const waiting = async () => {
            const r = await watcher.query<{ pid: number }>(
              `SELECT pid FROM pg_stat_activity WHERE usename = $1 AND wait_event_type = 'Lock'`,
              ['audit_app_test'],
            );
            return r.rows.map((row) => row.pid);
          };
          const killed = new Set<number>();
          for (let i = 0; i < times; i++) {
            // A writer not killed yet (a killed backend may still show as waiting for a moment).
            await expect
              .poll(async () => (await waiting()).filter((pid) => !killed.has(pid)), { timeout: 10_000 })
              .not.toEqual([]);
            for (const pid of await waiting()) killed.add(pid);
            await watcher.query(
              `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1 AND datname = current_database()`,
              ['audit_app_test'],
            );
          }
          await blocker.query('ROLLBACK');
          return await pending;
        } finally {
          await Promise.all([blocker.end(), watcher.end()]);
        }
      };
      // The statement died with its connection, so nothing committed: looked for, absent, offered again.
      expect(await cutOff([readInput(tenant, 1), readInput(tenant, 2)], 1)).toEqual([1, 2]);
      // Its retry cut off as well: refused, and nothing of it is in the log.
      expect(await cutOff([readInput(tenant, 3)], 2)).toBeInstanceOf(AuditUnavailableError);
      // The pool reconnects (an idle connection it has not yet seen die is retried past); nothing partial was left behind.
      expect((await h.store.append([readInput(tenant, 4)]))[0]?.seq).toBe(3);
      const rows = await h.admin.query(`SELECT count(*)::int AS n FROM audit.events WHERE tenant = $1`, [
        tenant,
      ]);
      expect(rows[0]?.n).toBe(4);
      expect((await h.store.verify({ tenant })).ok).toBe(true);
    });
  },
);
