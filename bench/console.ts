/**
 * Audit console query benchmark (prints figures; not a test).
 *
 *   npx tsx --conditions=react-server bench/console.ts [--events 1000000] [--runs 20] [--skip-pglite]
 *
 * Fills a PGlite store in a temporary directory (and a fresh PostgreSQL database at
 * AUDIT_BENCH_PG_URL, a superuser URL, when set) with synthetic events in batched appends,
 * then times the console's typical searches — by patient, by user, by EHR and a one-day
 * range, failures only — for the first page and for a deep page reached by cursor.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createAuditStore, type AuditQueryFilter, type AuditStore } from '@/lib/audit';
import { generateAuditKeys } from '@/lib/audit/crypto';
import { asApp, freshPgDatabase, tempDir } from '@/lib/audit/testing/harness';
import type { AuditAction, AuditInput } from '@/lib/audit/types';
import { percentile } from './support/stats';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '20' },
    depth: { type: 'string', default: '20' },
    'skip-pglite': { type: 'boolean', default: false },
  },
});
const EVENTS = Number(values.events);
const RUNS = Number(values.runs);
const DEPTH = Number(values.depth);
const PG_URL = process.env.AUDIT_BENCH_PG_URL;

const TENANTS = [
  'sandbox-generic',
  'sandbox-epic',
  'sandbox-cerner',
  'sandbox-athena',
  'sandbox-nextgen',
  'sandbox-open',
];
const USERS = 500;
const PATIENTS = 20_000;
const DAYS = 30;
const START = Date.UTC(2025, 0, 1);
const STEP = (DAYS * 86_400_000) / Math.max(EVENTS, 1);
const ACTIONS: AuditAction[] = [
  'view',
  'view',
  'view',
  'patient-query',
  'patient-query',
  'patient-read',
  'login',
  'logout',
];

// Deterministic pseudo-random numbers, so runs are comparable.
let seed = 42;
const rnd = (n: number): number => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed % n;
};
const userRef = (i: number) => `https://ehr.example/fhir/Practitioner/u${i}`;
const patientRef = (i: number) => `https://ehr.example/fhir/Patient/p${i}`;

function event(i: number): AuditInput {
  const failed = rnd(20) === 0;
  return {
    action: failed ? 'access-denied' : (ACTIONS[rnd(ACTIONS.length)] ?? 'view'),
    outcome: failed ? '8' : '0',
    ...(failed ? { outcomeDesc: 'patient-not-in-launch-context' } : {}),
    tenant: TENANTS[rnd(TENANTS.length)] ?? 'sandbox-generic',
    user: userRef(rnd(USERS)),
    // A few patients are seen far more often than the rest.
    patient: patientRef(rnd(10) === 0 ? rnd(20) : rnd(PATIENTS)),
    resourceTypes: ['Observation'],
    detail: 'vitals',
    sourceIp: '10.0.0.1',
    recorded: new Date(START + i * STEP),
  };
}

async function fill(store: AuditStore): Promise<void> {
  const t0 = performance.now();
  const BATCH = 1000;
  for (let i = 0; i < EVENTS; i += BATCH) {
    await store.append(Array.from({ length: Math.min(BATCH, EVENTS - i) }, (_, k) => event(i + k)));
    if ((i / BATCH) % 100 === 99) process.stdout.write(`  ${i + BATCH} events…\r`);
  }
  const s = (performance.now() - t0) / 1000;
  console.log(`  filled ${EVENTS} events in ${s.toFixed(1)} s (${(EVENTS / s).toFixed(0)} events/s)`);
}

async function timeQuery(
  store: AuditStore,
  label: string,
  filterFor: (run: number) => AuditQueryFilter,
): Promise<void> {
  const first: number[] = [];
  const deep: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const filter = filterFor(run);
    let t = performance.now();
    let page = await store.query(filter, { limit: 50 });
    first.push(performance.now() - t);
    let pages = 1;
    while (page.nextCursor && pages < DEPTH - 1) {
      page = await store.query(filter, { limit: 50, cursor: page.nextCursor });
      pages++;
    }
    if (!page.nextCursor) continue;
    t = performance.now();
    await store.query(filter, { limit: 50, cursor: page.nextCursor });
    deep.push(performance.now() - t);
  }
  const line = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return xs.length
      ? `p50 ${percentile(s, 50).toFixed(1).padStart(7)} ms  p95 ${percentile(s, 95).toFixed(1).padStart(7)} ms`
      : 'n/a (fewer pages)';
  };
  console.log(`  ${label.padEnd(30)} first page: ${line(first)}   page ${DEPTH}: ${line(deep)}`);
}

async function runAll(store: AuditStore): Promise<void> {
  await timeQuery(store, 'by patient (frequent)', (r) => ({ patient: patientRef(r % 20) }));
  await timeQuery(store, 'by patient (rare)', (r) => ({ patient: patientRef(1000 + r) }));
  await timeQuery(store, 'by user', (r) => ({ user: userRef(r) }));
  await timeQuery(store, 'by EHR + one day', (r) => ({
    tenant: TENANTS[r % TENANTS.length],
    from: new Date(START + (r % DAYS) * 86_400_000),
    to: new Date(START + ((r % DAYS) + 1) * 86_400_000),
  }));
  await timeQuery(store, 'failures only', () => ({ outcome: 'failure' }));
  await timeQuery(store, 'everything (no filter)', () => ({}));
}

async function main(): Promise<void> {
  console.log(
    `Console queries over ${EVENTS} events, ${RUNS} runs each, page size 50, deep page = page ${DEPTH}`,
  );
  if (!values['skip-pglite']) {
    const dir = tempDir('console-bench-');
    const store = await createAuditStore({
      database: { kind: 'pglite', dataDir: path.join(dir, 'db') },
      keys: generateAuditKeys(),
      checkpoints: path.join(dir, 'cp'),
    });
    console.log('PGlite');
    try {
      await fill(store);
      await runAll(store);
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  }
  if (PG_URL) {
    const db = await freshPgDatabase(PG_URL);
    const dir = tempDir('console-bench-pg-');
    const store = await createAuditStore({
      database: { kind: 'postgres', url: asApp(db.url), ownerUrl: db.url },
      keys: generateAuditKeys(),
      checkpoints: dir,
    });
    console.log('PostgreSQL');
    try {
      await fill(store);
      await runAll(store);
    } finally {
      await store.close();
      await db.drop();
      await rm(dir, { recursive: true, force: true });
    }
  } else {
    console.log('PostgreSQL: skipped (set AUDIT_BENCH_PG_URL to a superuser URL)');
  }
}

await main();
