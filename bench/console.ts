/**
 * Audit console query benchmark (prints figures; not a test).
 *
 *   npx tsx --conditions=react-server bench/console.ts [--events 1000000] [--runs 20] [--skip-pglite]
 *
 * Fills a PGlite store in a temporary directory (and a fresh PostgreSQL database at
 * AUDIT_BENCH_PG_URL, a superuser URL, when set) with synthetic events in batched appends,
 * then times the console's typical searches — by patient, by user, by EHR and a one-day
 * range, failures only — for the first page and for a deep page reached by cursor, and the
 * patient finder: a family name (about ten patients), resolved through the blind index on
 * every page as the console does, first and tenth page.
 *
 * The events are appended through the store as the app appends them (sealed, hashed into the
 * tree, indexed); only signing is held back until the fill is done (a long checkpoint delay
 * and coverage bound), since the signer's checks do not change what the searches read.
 */
import './support/runtime';
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

// Deterministic pseudo-random numbers (mulberry32), so runs are comparable. In 32-bit integer
// arithmetic: a floating-point LCG loses its low bits and gave almost only 'view' events.
let seed = 42;
const rnd = (n: number): number => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) % n;
};
const userRef = (i: number) => `https://ehr.example/fhir/Practitioner/u${i}`;
const patientRef = (i: number) => `https://ehr.example/fhir/Patient/p${i}`;

// Family names without digits (a word with a digit is read as an MRN): about ten patients share each.
const SYLLABLES = [
  'bren',
  'nan',
  'kow',
  'al',
  'ski',
  'pet',
  'rov',
  'fon',
  'taine',
  'cas',
  'til',
  'lo',
  'men',
  'sah',
  'du',
  'be',
  'ha',
  'dad',
  'er',
  'ik',
];
const FAMILIES = PATIENTS / 10;
const familyName = (f: number): string => {
  const a = SYLLABLES[f % 20] ?? '';
  const b = SYLLABLES[Math.floor(f / 20) % 20] ?? '';
  const c = SYLLABLES[Math.floor(f / 400) % 20] ?? '';
  return `${a}${b}${c}`.replace(/^./, (x) => x.toUpperCase());
};
const familyOf = (p: number): number => (p * 7919) % FAMILIES;
/** Events that recorded each family name, so the searches ask for names the log holds. */
const familyEvents = new Map<number, number>();
/** What the chart recorded of patient p: name, birth date, MRN. */
const identityOf = (p: number): NonNullable<AuditInput['patientIdentity']> => ({
  name: `${familyName(familyOf(p))}, Given${'abcdefghij'[p % 10] ?? ''}`,
  birthDate: `19${String(40 + (p % 60)).padStart(2, '0')}-0${1 + (p % 9)}-1${p % 10}`,
  mrn: { system: 'urn:oid:2.16.840.1.113883.19.5', value: `MRN${String(p).padStart(7, '0')}` },
});

function recordIdentity(p: number): NonNullable<AuditInput['patientIdentity']> {
  familyEvents.set(familyOf(p), (familyEvents.get(familyOf(p)) ?? 0) + 1);
  return identityOf(p);
}

function event(i: number): AuditInput {
  const failed = rnd(20) === 0;
  const action = failed ? 'access-denied' : (ACTIONS[rnd(ACTIONS.length)] ?? 'view');
  // A few patients are seen far more often than the rest.
  const p = rnd(10) === 0 ? rnd(20) : rnd(PATIENTS);
  return {
    action,
    outcome: failed ? '8' : '0',
    ...(failed ? { outcomeDesc: 'patient-not-in-launch-context' } : {}),
    tenant: TENANTS[rnd(TENANTS.length)] ?? 'sandbox-generic',
    user: userRef(rnd(USERS)),
    patient: patientRef(p),
    // Reads of the Patient record who the patient is, as the chart's disclosures do.
    ...(action === 'patient-read' || action === 'patient-query'
      ? { patientIdentity: recordIdentity(p) }
      : {}),
    resourceTypes: ['Observation'],
    detail: 'vitals',
    sourceIp: '10.0.0.1',
    recorded: new Date(START + i * STEP),
  };
}

async function fill(store: AuditStore): Promise<void> {
  const t0 = performance.now();
  const BATCH = 1000;
  // A few batches in flight: the next one is sealed and hashed while the database commits the last.
  const inFlight = new Set<Promise<unknown>>();
  for (let i = 0; i < EVENTS; i += BATCH) {
    const done = store.append(Array.from({ length: Math.min(BATCH, EVENTS - i) }, (_, k) => event(i + k)));
    inFlight.add(done);
    void done.finally(() => inFlight.delete(done));
    if (inFlight.size >= 4) await Promise.race(inFlight);
    if ((i / BATCH) % 100 === 99) process.stdout.write(`  ${i + BATCH} events…\r`);
  }
  await Promise.all(inFlight);
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

/** The console's name search: the finder, then the events of every patient found; page 1 and page 10. */
async function timeNameSearch(store: AuditStore): Promise<void> {
  const first: number[] = [];
  const tenth: number[] = [];
  let patients = 0;
  // The most often recorded family names: the searches that have a tenth page.
  const names = [...familyEvents]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 20)
    .map(([f]) => familyName(f).toLowerCase());
  for (let run = 0; run < RUNS; run++) {
    const name = names[run % names.length] ?? 'nobody';
    const search = async (cursor?: string) => {
      const found = await store.findPatients(name, { limit: 100 });
      patients += cursor ? 0 : found.patients.length;
      const refs = found.patients.map((f) => f.reference);
      return store.query({ patients: refs }, { limit: 50, ...(cursor ? { cursor } : {}) });
    };
    let t = performance.now();
    let page = await search();
    first.push(performance.now() - t);
    for (let n = 2; n < 10 && page.nextCursor; n++) page = await search(page.nextCursor);
    if (!page.nextCursor) continue;
    t = performance.now();
    await search(page.nextCursor);
    tenth.push(performance.now() - t);
  }
  const line = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return xs.length
      ? `p50 ${percentile(s, 50).toFixed(1).padStart(7)} ms  p95 ${percentile(s, 95).toFixed(1).padStart(7)} ms`
      : 'n/a (fewer pages)';
  };
  console.log(
    `  ${'by family name (finder)'.padEnd(30)} first page: ${line(first)}   page 10: ${line(tenth)}   (${(patients / RUNS).toFixed(1)} patients per name)`,
  );
}

async function runAll(store: AuditStore): Promise<void> {
  await timeNameSearch(store);
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

// Signing waits until the searches are over (see the header); the rows are the store's own.
const FILL_FAST = { checkpointDelayMs: 86_400_000, coverageBoundMs: 86_400_000 } as const;

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
      ...FILL_FAST,
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
      ...FILL_FAST,
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
