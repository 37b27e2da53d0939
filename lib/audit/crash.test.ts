import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { generateAuditKeys } from './crypto';
import type { AuditDatabase } from './index';
import { asApp, freshPgDatabase, pgTestUrl, tempDir } from './testing/harness';

/**
 * kill -9 at random moments while a child process appends from concurrent
 * writers. After each kill the next process must find every acknowledged
 * event, no partial one, and a log that verifies.
 */

const CHILD = path.resolve(import.meta.dirname, 'testing/append-child.ts');

interface RunResult {
  readonly verify: { ok: boolean; events: number; problems: string };
  readonly acked: number[];
}

function runChild(config: object, killAfterAckMs: number | undefined): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', CHILD], {
      env: { ...process.env, AUDIT_CHILD_CONFIG: JSON.stringify(config) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const acked: number[] = [];
    let verify: RunResult['verify'] | undefined;
    let armed = false;
    createInterface({ input: child.stdout }).on('line', (line) => {
      const [word, ...rest] = line.split(' ');
      if (word === 'verify')
        verify = { ok: rest[0] === 'ok', events: Number(rest[1]), problems: rest.slice(2).join(' ') };
      if (word === 'error') reject(new Error(`child failed: ${rest.join(' ')}`));
      if (word === 'ack') {
        acked.push(...rest.map(Number));
        if (!armed && killAfterAckMs !== undefined) {
          armed = true;
          setTimeout(() => child.kill('SIGKILL'), killAfterAckMs);
        }
      }
    });
    child.on('exit', () =>
      verify ? resolve({ verify, acked }) : reject(new Error('child exited before verifying')),
    );
  });
}

async function crashLoop(database: AuditDatabase, checkpointDir: string, kills: number): Promise<void> {
  const base = { database, keys: generateAuditKeys(), checkpointDir, tenant: 'crash' };
  let acknowledged: number[] = [];
  for (let round = 0; round <= kills; round++) {
    const last = round === kills;
    const result = await runChild(
      { ...base, mode: last ? 'check' : 'append' },
      last ? undefined : 150 + Math.floor(Math.random() * 600),
    );
    expect(result.verify.problems, `after kill ${round}`).toBe('[]');
    expect(result.verify.ok).toBe(true);
    // Gap-free and verified, so every acknowledged seq below the count is present.
    const maxAcked = Math.max(-1, ...acknowledged);
    expect(result.verify.events, `after kill ${round}`).toBeGreaterThan(maxAcked);
    if (!last) expect(result.acked.length).toBeGreaterThan(0);
    acknowledged = [...acknowledged, ...result.acked];
  }
  expect(new Set(acknowledged).size).toBe(acknowledged.length);
}

describe('kill -9 during appends', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanup) await c();
  });

  const url = pgTestUrl();
  /** A fresh database reached through the app's login (migrated through the owner's), and a checkpoint directory. */
  const freshPgLog = async (): Promise<{ database: AuditDatabase; checkpointDir: string }> => {
    const db = await freshPgDatabase(url as string);
    const checkpointDir = tempDir('audit-crash-cp-');
    cleanup.push(
      () => db.drop(),
      () => rm(checkpointDir, { recursive: true, force: true }),
    );
    return { database: { kind: 'postgres', url: asApp(db.url), ownerUrl: db.url }, checkpointDir };
  };

  it.skipIf(!url)(
    'PostgreSQL keeps every acknowledged event (needs AUDIT_TEST_PG_URL)',
    async () => {
      const { database, checkpointDir } = await freshPgLog();
      await crashLoop(database, checkpointDir, 10);
    },
    240_000,
  );

  it.skipIf(!url)(
    'three instances appending to one PostgreSQL log, starting and migrating beside each other: none refused, every acknowledged event once',
    async () => {
      const config = { ...(await freshPgLog()), keys: generateAuditKeys(), tenant: 'instances' };
      // Started a second apart, each migrating through the owner login as it starts (a rolling deploy):
      // the later ones' migrations run while the first appends. Each child stops at its first refused
      // append; each is killed two seconds after its first ack.
      const runs = await Promise.all(
        [0, 1000, 2000].map(async (delay) => {
          await new Promise((r) => setTimeout(r, delay));
          return runChild({ ...config, mode: 'append' }, 2000);
        }),
      );
      const acked = runs.flatMap((r) => r.acked);
      for (const r of runs) expect(r.acked.length).toBeGreaterThan(0);
      expect(new Set(acked).size).toBe(acked.length);
      const after = await runChild({ ...config, mode: 'check' }, undefined);
      expect(after.verify).toMatchObject({ ok: true, problems: '[]' });
      expect(after.verify.events).toBeGreaterThan(Math.max(...acked));
    },
    120_000,
  );

  it('PGlite keeps every acknowledged event', async () => {
    const dataDir = tempDir('audit-crash-pglite-');
    const checkpointDir = tempDir('audit-crash-cp-');
    cleanup.push(
      () => rm(dataDir, { recursive: true, force: true }),
      () => rm(checkpointDir, { recursive: true, force: true }),
    );
    // Two kills only: each PGlite start costs seconds on this machine.
    await crashLoop({ kind: 'pglite', dataDir }, checkpointDir, 2);
  }, 120_000);
});
