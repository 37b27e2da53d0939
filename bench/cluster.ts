/**
 * Chart data routes through HAProxy with one and with three production
 * instances, in one run on one stack (a frontend in front of the first
 * instance only, and one in front of all three): throughput, p50 and p99.
 * Every answered request is one committed audit append, so throughput is
 * also appends per second. Needs PostgreSQL and HAProxy.
 * Run: AUDIT_BENCH_PG_URL=postgresql://… npm run bench:cluster
 */
import './support/runtime';
import { availableParallelism, loadavg } from 'node:os';
import { percentile } from './support/stats';
import { clusterUnavailable, cookieHeader, followRedirects, startCluster } from '../test/support/cluster';

const PG = process.env.AUDIT_BENCH_PG_URL ?? process.env.AUDIT_TEST_PG_URL;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 12);
const ROUTES = ['patient', 'vitals', 'labs', 'problems'];

const unavailable = clusterUnavailable(PG);
if (unavailable) {
  console.log(`bench:cluster skipped: ${unavailable}`);
  process.exit(0);
}

/** The app's error code from a JSON answer; undefined for anything else (the balancer's own error page). */
function errorCode(body: string): string | undefined {
  try {
    return (JSON.parse(body) as { error?: { code?: string } } | null)?.error?.code;
  } catch {
    return undefined;
  }
}

async function measure(base: string, launchId: string, cookie: string) {
  const latencies: number[] = [];
  /** Per status and error code ("503 audit-unavailable"): a failure says what it was. */
  const failures = new Map<string, number>();
  const until = performance.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, worker) => {
      for (let n = worker; performance.now() < until; n++) {
        const t = performance.now();
        const res = await fetch(`${base}/api/chart/${launchId}/${ROUTES[n % ROUTES.length]}`, {
          headers: { cookie },
        });
        const body = await res.text();
        if (res.ok) latencies.push(performance.now() - t);
        else {
          const code = errorCode(body);
          const key = `${res.status} ${code ?? 'no code'}`;
          failures.set(key, (failures.get(key) ?? 0) + 1);
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    requests: latencies.length,
    failures,
    perSecond: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

const cluster = await startCluster({ pgUrl: PG!, port: 3520, sandboxPort: 4500, instances: 3 });
try {
  const start = `${cluster.sandboxUrl}/launch/ehr?practitioner=sbx-dr-lee&patient=sbx-adult-htn&personality=generic&frame=0`;
  const { url, jar } = await followRedirects(start, (u) => u.pathname.startsWith('/chart/'));
  const launchId = url.pathname.split('/').pop()!;
  const cookie = cookieHeader(jar.get(new URL(cluster.url).origin));
  // Warm every instance's route code and connections before measuring.
  await measure(cluster.url, launchId, cookie);
  // Alternated (1, 3, 3, 1) so a change in the machine's other load shows as a spread, not as a trend.
  const rows: [string, Awaited<ReturnType<typeof measure>>][] = [];
  for (const three of [false, true, true, false]) {
    rows.push([
      three ? '3 instances' : '1 instance',
      await measure(three ? cluster.url : cluster.singleUrl, launchId, cookie),
    ]);
  }
  console.log(
    `chart data routes through HAProxy, ${CONCURRENCY} concurrent clients, ${SECONDS} s each (patient, vitals, labs, problems in turn); load average at the end: ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`,
  );
  console.log('| instances | requests/s (= audit appends/s) | p50 ms | p99 ms | requests | failures |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const [name, r] of rows) {
    console.log(
      `| ${name} | ${r.perSecond.toFixed(1)} | ${r.p50.toFixed(0)} | ${r.p99.toFixed(0)} | ${r.requests} | ${[...r.failures].map(([k, n]) => `${n} × ${k}`).join(', ') || 0} |`,
    );
  }
} finally {
  await cluster.stop();
}
