/**
 * Audit store benchmark (prints figures; not a test).
 *
 *   npx tsx --conditions=react-server bench/audit.ts [--events 100000] [--pglite-events 20000] [--skip-pg] [--skip-pglite] [--skip-witness] [--only verify|steady] [--verify-runs 1] [--deep]
 *
 * --only verify skips the append figures: it builds the large log, then verifies it
 * (--verify-runs times, each reported with this process's CPU per event and the load average).
 * --only steady runs the warm-up and the latency at steady rates alone.
 * --deep: each verification also compares every payload with its record field by field (audit:verify --deep).
 *
 * Checkpoints are cosigned by a witness (lib/witness, in this process on a port of 4900-4999)
 * unless --skip-witness: "append → checkpoint" is then append → cosigned checkpoint.
 *
 * PostgreSQL: AUDIT_BENCH_PG_URL (a superuser URL; default the local test cluster). A fresh
 * database is created and dropped. PGlite runs in a temporary directory.
 */
import './support/runtime';
import { readdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { generateAuditKeys } from '@/lib/audit/crypto';
import type { SqlDriver } from '@/lib/audit/driver';
import { pgDriver } from '@/lib/audit/driver-pg';
import { pgliteDriver } from '@/lib/audit/driver-pglite';
import { createAuditStore, type AuditStore } from '@/lib/audit';
import { verifyInclusion } from '@/lib/audit/merkle';
import { freshPgDatabase, tempDir } from '@/lib/audit/testing/harness';
import { readInput } from '@/lib/audit/testing/store-suite-input';
import type { WitnessPolicy } from '@/lib/audit/witnesses';
import { publicKeyOf } from '@/lib/audit/checkpoint';
import { startWitness, type RunningWitness } from '@/lib/witness/testing';
import { watchMachinePauses } from './support/pauses';
import { percentile } from './support/stats';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '100000' },
    'pglite-events': { type: 'string', default: '20000' },
    'skip-pg': { type: 'boolean', default: false },
    'skip-pglite': { type: 'boolean', default: false },
    'skip-witness': { type: 'boolean', default: false },
    only: { type: 'string' },
    'verify-runs': { type: 'string', default: '1' },
    deep: { type: 'boolean', default: false },
    'steady-rates': { type: 'string', default: '1000' },
    'steady-seconds': { type: 'string' },
  },
});
if (values.only !== undefined && values.only !== 'verify' && values.only !== 'steady')
  throw new Error('--only takes: verify, steady');
const onlyVerify = values.only === 'verify';
// The latency at steady rates alone (with the warm-up before it): the figure that varies most from run to run.
const onlySteady = values.only === 'steady';
// Steady latency at each of these rates (events/s), plain INSERTs and appends in turn.
const steadyRates = values['steady-rates'].split(',').map(Number);
if (steadyRates.some((r) => !Number.isInteger(r) || r <= 0))
  throw new Error('--steady-rates takes rates such as 250,1000');
const PG_URL = process.env.AUDIT_BENCH_PG_URL ?? 'postgresql://chart_test:chart_test@127.0.0.1:5432/postgres';

const f = (n: number, d = 1): string => n.toFixed(d);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CPU time (ms) of this process's main thread, where /proc shows it (clock ticks of 10 ms); undefined elsewhere. */
function mainThreadCpuMs(): number | undefined {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/** CPU time (ms) of this machine's PostgreSQL server processes, where /proc shows them; undefined elsewhere. */
function postgresCpuMs(): number | undefined {
  let total = 0;
  let seen = false;
  try {
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        if (!stat.includes(' (postgres) ')) continue;
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        total += (Number(fields[11]) + Number(fields[12])) * 10;
        seen = true;
      } catch {
        // The process ended meanwhile.
      }
    }
  } catch {
    return undefined;
  }
  return seen ? total : undefined;
}

async function throughput(
  label: string,
  writers: number,
  total: number,
  one: (i: number) => Promise<unknown>,
): Promise<number> {
  let next = 0;
  const pg0 = postgresCpuMs();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (next < total) await one(next++);
    }),
  );
  const rate = total / ((performance.now() - t0) / 1000);
  const pg1 = postgresCpuMs();
  // Where PostgreSQL runs on this machine: the database's own CPU per event, the part no client-side change removes.
  const pgPerEvent =
    pg0 !== undefined && pg1 !== undefined
      ? `; PostgreSQL ${f(((pg1 - pg0) / total) * 1000, 0)} µs CPU/event`
      : '';
  console.log(
    `  ${label.padEnd(34)} ${String(writers).padStart(3)} writers: ${f(rate, 0).padStart(7)} events/s${pgPerEvent}`,
  );
  return rate;
}

/** Latency of `write` called at a steady rate, as requests arrive at a running app. */
async function steadyLatency(
  what: string,
  perSecond: number,
  seconds: number,
  write: (i: number) => Promise<unknown>,
): Promise<void> {
  const latencies: number[] = [];
  const pending: Promise<void>[] = [];
  // How long this thread was busy elsewhere while writes waited: the part of a slow write not spent in PostgreSQL.
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  const pauses = await watchMachinePauses();
  loopDelay.enable();
  const t0 = performance.now();
  let sent = 0;
  while (sent < perSecond * seconds) {
    const due = Math.floor(((performance.now() - t0) / 1000) * perSecond);
    for (; sent < due && sent < perSecond * seconds; sent++) {
      const start = performance.now();
      pending.push(write(sent).then(() => void latencies.push(performance.now() - start)));
    }
    await sleep(1);
  }
  await Promise.all(pending);
  loopDelay.disable();
  const paused = await pauses.stop();
  latencies.sort((a, b) => a - b);
  const achieved = sent / ((performance.now() - t0) / 1000);
  console.log(
    `  ${what} latency at ${perSecond}/s for ${seconds}s (achieved ${f(achieved, 0)}/s): p50 ${f(percentile(latencies, 50), 2)} ms, p99 ${f(percentile(latencies, 99), 2)} ms, p99.9 ${f(percentile(latencies, 99.9), 2)} ms; event loop delay p99 ${f(loopDelay.percentile(99) / 1e6, 1)} ms, max ${f(loopDelay.max / 1e6, 1)} ms`,
  );
  console.log(
    `    the machine meanwhile: ${paused.count === 0 ? 'no pause' : `${paused.count} pauses (longest ${f(paused.longestMs, 0)} ms, ${f(paused.totalMs, 0)} ms in all)`} over 20 ms seen by a separate idle process`,
  );
}

async function plainInserts(driver: SqlDriver, writers: number, total: number): Promise<number> {
  // The same canonical rows, one INSERT each, autocommit, no hashing, no chain head: the floor.
  const row = readInput('plain', 0);
  const text = JSON.stringify(row);
  const insert = (seq: string) =>
    driver.query(`INSERT INTO bench_plain (tenant, seq, body) VALUES ($1, $2, $3)`, [
      'plain',
      seq,
      Buffer.from(text),
    ]);
  // Untimed first: one connection per writer opened (each costs a SCRAM sign-in and a new backend) and the
  // statement warm, as the audit store's own connections are. Timing them in made plain INSERTs at 16 and 64
  // writers look up to three times slower than they are.
  await Promise.all(Array.from({ length: writers }, () => driver.query(`SELECT pg_sleep(0.02)`)));
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      for (let k = 0; k < 10; k++) await insert(`warm-${writers}-${w}-${k}`);
    }),
  );
  return throughput('plain single-row INSERT', writers, total, (i) => insert(`${writers}-${i}`));
}

/** Waits until the tenant's cosigned checkpoint covers everything appended, so no signing is left to run. */
async function caughtUp(store: AuditStore, tenant: string): Promise<void> {
  // Well past the store's coverage bound (5 s): by then the signer has failed, and the figures would mean nothing.
  const deadline = performance.now() + 30_000;
  for (;;) {
    const head = await store.treeHead(tenant);
    if ((head.checkpoint?.size ?? -1) >= head.size) return;
    if (performance.now() > deadline)
      throw new Error(`no cosigned checkpoint covered ${tenant}'s ${head.size} events within 30 s`);
    await sleep(10);
  }
}

async function bench(
  kind: 'postgres' | 'pglite',
  store: AuditStore,
  admin: SqlDriver,
  logSize: number,
): Promise<void> {
  console.log(`\n== ${kind} ==`);
  if (!onlyVerify) await appendFigures(kind, store, admin);
  if (!onlySteady) await largeLog(store, admin, logSize);
}

async function appendFigures(
  kind: 'postgres' | 'pglite',
  store: AuditStore,
  admin: SqlDriver,
): Promise<void> {
  await admin.query(
    `CREATE TABLE IF NOT EXISTS bench_plain (tenant text, seq text, body bytea, PRIMARY KEY (tenant, seq))`,
  );
  const per = kind === 'postgres' ? 3000 : 1000;
  // Steady state, as a running app is in: the first signature starts the checking threads and
  // loads their code; a few appends and their cosigned checkpoint come before anything is timed.
  await store.append(Array.from({ length: 20 }, (_, i) => readInput('warm-up', i)));
  while (((await store.treeHead('warm-up')).checkpoint?.size ?? 0) < 20) await sleep(5);
  for (const writers of onlySteady ? [] : [1, 16, 64]) {
    const tenant = `tp-${writers}`;
    const total = writers === 1 ? per / 3 : per;
    // Untimed first, as for plain INSERTs: the tenant's chain head made and the writers' path warm.
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let k = 0; k < 10; k++) await store.append([readInput(tenant, total + w * 10 + k)]);
      }),
    );
    await caughtUp(store, tenant);
    // Timed: the appends with the checking and signing that run beside them, as in a running app.
    const audit = await throughput('durable audit append (group commit)', writers, total, (i) =>
      store.append([readInput(tenant, i)]),
    );
    // The signer's last round is the audit's work, not the plain INSERTs': let it finish first.
    await caughtUp(store, tenant);
    const plain = await plainInserts(admin, writers, total);
    console.log(`  ratio audit/plain at ${writers} writers: ${f(audit / plain, 2)}`);
  }

  const seconds = Number(values['steady-seconds'] ?? (kind === 'postgres' ? 5 : 3));
  const text = Buffer.from(JSON.stringify(readInput('plain', 0)));
  for (const rate of steadyRates) {
    await steadyLatency('plain single-row INSERT', rate, seconds, (i) =>
      admin.query(`INSERT INTO bench_plain (tenant, seq, body) VALUES ($1, $2, $3)`, [
        'steady',
        `s-${rate}-${i}`,
        text,
      ]),
    );
    await steadyLatency('durable audit append', rate, seconds, (i) =>
      store.append([readInput(`steady-${rate}`, i)]),
    );
  }

  const delays: number[] = [];
  for (let i = 0; i < 10; i++) {
    const [r] = await store.append([readInput('cp-delay', i)]);
    const start = performance.now();
    while (((await store.treeHead('cp-delay')).checkpoint?.size ?? 0) <= (r?.seq ?? 0)) await sleep(5);
    delays.push(performance.now() - start);
  }
  delays.sort((a, b) => a - b);
  console.log(
    `  append → ${witnessed ? 'cosigned' : 'signed'} checkpoint: median ${f(percentile(delays, 50), 0)} ms, max ${f(delays[delays.length - 1] ?? NaN, 0)} ms (debounce 250 ms)`,
  );
}

async function largeLog(store: AuditStore, admin: SqlDriver, logSize: number): Promise<void> {
  // A large log for verification and proofs, built in batches of 1,000.
  const tenant = 'big';
  const t0 = performance.now();
  for (let at = 0; at < logSize; at += 1000) {
    await store.append(
      Array.from({ length: Math.min(1000, logSize - at) }, (_, k) => readInput(tenant, at + k)),
    );
  }
  console.log(`  built a ${logSize}-event log in ${f((performance.now() - t0) / 1000)} s (batches of 1,000)`);
  const cp = await store.checkpoint(tenant);

  for (let run = 0; run < Number(values['verify-runs']); run++) {
    const cpu = process.cpuUsage();
    const main0 = mainThreadCpuMs();
    const pg0 = postgresCpuMs();
    const report = await store.verify({ tenant, deep: values.deep });
    const used = process.cpuUsage(cpu);
    const main1 = mainThreadCpuMs();
    const pg1 = postgresCpuMs();
    const t = report.tenants[0];
    const per = (ms: number) => f((ms * 1000) / Math.max(1, report.events), 1);
    // Where the time goes: this thread (reading and chaining the pages), the rest of the process (the
    // checking threads, V8's helpers), and PostgreSQL's backend serving the pages, in µs of CPU an event.
    const split =
      main0 !== undefined && main1 !== undefined
        ? `: main thread ${per(main1 - main0)}, other threads ${per((used.user + used.system) / 1000 - (main1 - main0))}` +
          (pg0 !== undefined && pg1 !== undefined ? `; PostgreSQL ${per(pg1 - pg0)}` : '')
        : '';
    console.log(
      `  full verification${values.deep ? ' (deep)' : ''}: ${report.events} events in ${f(report.seconds, 2)} s = ${report.eventsPerSecond} events/s (ok=${report.ok}, checkpoints matched ${t?.checkpointsMatched ?? 0}; this process ${f((used.user + used.system) / Math.max(1, report.events), 1)} µs CPU/event${split}; load ${loadAverage()})`,
    );
  }

  const size = cp?.size ?? logSize;
  let proofMs = 0;
  let verifyMs = 0;
  let proofLen = 0;
  const samples = 200;
  for (let i = 0; i < samples; i++) {
    const seq = Math.floor(Math.random() * size);
    const s0 = performance.now();
    const p = await store.proveInclusion(tenant, seq, size);
    const s1 = performance.now();
    const ok = verifyInclusion(
      Buffer.from(p.leafHash, 'hex'),
      seq,
      size,
      p.path.map((x) => Buffer.from(x, 'hex')),
      cp?.root ?? Buffer.alloc(32),
    );
    verifyMs += performance.now() - s1;
    proofMs += s1 - s0;
    proofLen += p.path.length;
    if (!ok) throw new Error('inclusion proof failed');
  }
  console.log(
    `  inclusion proof at size ${size}: ${f(proofLen / samples)} hashes = ${f((proofLen / samples) * 32, 0)} bytes; generate ${f(proofMs / samples, 2)} ms, verify ${f((verifyMs / samples) * 1000, 1)} µs`,
  );

  const bytes = await admin.query(
    `SELECT (SELECT count(*) FROM audit.events) AS n,
            pg_total_relation_size('audit.events') AS events, pg_total_relation_size('audit.nodes') AS nodes,
            (SELECT avg(length(canonical)) FROM audit.events) AS canonical`,
  );
  const b = bytes[0] as Record<string, unknown>;
  const n = Number(b.n);
  console.log(
    `  storage: ${f((Number(b.events) + Number(b.nodes)) / n, 0)} bytes/event with indexes (canonical record ${f(Number(b.canonical), 0)} bytes) over ${n} events`,
  );
}

let witnessed = false;

const loadAverage = (): string => {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'n/a';
  }
};

async function main(): Promise<void> {
  const keys = generateAuditKeys();
  let witness: RunningWitness | undefined;
  let witnesses: WitnessPolicy | undefined;
  if (!values['skip-witness']) {
    witness = await startWitness({
      dataDir: tempDir('audit-bench-witness-'),
      logKeys: [publicKeyOf(keys.signingKey)],
    });
    witnesses = { witnesses: [{ url: witness.url, cosigner: witness.cosigner }], quorum: 1 };
    witnessed = true;
  }
  if (!values['skip-pg']) {
    const db = await freshPgDatabase(PG_URL);
    const cpDir = tempDir('audit-bench-cp-');
    const store = await createAuditStore({
      database: { kind: 'postgres', url: db.url, ownerUrl: db.url },
      keys,
      checkpoints: cpDir,
      witnesses,
    });
    // Idle connections kept open: when the pool closed the 64 writers' connections 10 s after their
    // phase, those PostgreSQL backends exited at once in a later timed phase, and on this kind of
    // virtual machine tearing down 64 processes that share PostgreSQL's memory held both cores for
    // 50–200 ms: the "machine pauses" earlier figures met.
    const admin = pgDriver(db.url, { max: 64, idleTimeoutMillis: 0 });
    try {
      await bench('postgres', store, admin, Number(values.events));
    } finally {
      await store.close();
      await admin.close();
      await db.drop();
      await rm(cpDir, { recursive: true, force: true });
    }
  }
  if (!values['skip-pglite']) {
    const dir = tempDir('audit-bench-pglite-');
    const cpDir = tempDir('audit-bench-cp-');
    const driver = await pgliteDriver(dir);
    const store = await createAuditStore({ database: driver, keys, checkpoints: cpDir, witnesses });
    try {
      await bench('pglite', store, driver, Number(values['pglite-events']));
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
      await rm(cpDir, { recursive: true, force: true });
    }
  }
  if (witness) {
    await witness.close();
    await rm(witness.dataDir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
