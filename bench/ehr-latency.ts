/**
 * Chart data from an EHR that takes its time over every request, as real ones do: the sandbox answers each FHIR
 * request after a set delay (its `latency` fault, 500 ms unless told), and the app's routes are timed one at a
 * time, per personality and range. The same run measures the app holding itself to one request at a time to the
 * EHR (INSTANCES=6 divides the default limit of 6 down to 1: each date window waits for the one before it) beside
 * the app as it ships (up to 6 at a time), and checks both charted the same readings.
 * Run: npm run bench:ehr-latency [-- --latency 500 --patient sbx-adult-htn --runs 3]
 */
import './support/runtime';
import { parseArgs } from 'node:util';
import { followRedirects, startStack, type Stack } from './support/stack';
import { median } from './support/stats';

const { values } = parseArgs({
  options: {
    latency: { type: 'string', default: '500' },
    patient: { type: 'string', default: 'sbx-adult-htn' },
    runs: { type: 'string', default: '3' },
  },
});
const LATENCY_MS = Number(values.latency);
const PATIENT = values.patient;
const RUNS = Number(values.runs);
const PERSONALITIES = ['generic', 'epic', 'cerner', 'athena', 'nextgen'] as const;
const ROUTES = ['vitals?range=1y', 'labs?range=1y', 'vitals?range=5y', 'vitals?range=all'] as const;

type Figures = Map<string, { ms: number[]; readings: string }>;

/** How many readings a route's answer charts: vital points, or lab results. */
function readings(body: unknown): number {
  const data = (body as { data?: { series?: { points: unknown[] }[]; groups?: { history: unknown[] }[] } })
    .data;
  return (
    (data?.series ?? []).reduce((n, s) => n + s.points.length, 0) +
    (data?.groups ?? []).reduce((n, g) => n + g.history.length, 0)
  );
}

async function measure(stack: Stack): Promise<Figures> {
  const out: Figures = new Map();
  const faults = encodeURIComponent(JSON.stringify({ kind: 'latency', ms: LATENCY_MS }));
  for (let run = 0; run < RUNS; run++) {
    for (const personality of PERSONALITIES) {
      const launch = `${stack.sandboxUrl}/launch/ehr?practitioner=sbx-dr-lee&patient=${PATIENT}&personality=${personality}&frame=0&faults=${faults}`;
      const { url, jar } = await followRedirects(launch, (u) => u.pathname.startsWith('/chart/'));
      const launchId = url.pathname.split('/').pop() ?? '';
      const cookie = [...(jar.get(new URL(stack.appUrl).origin) ?? new Map<string, string>())]
        .map(([k, v]) => `${k}=${v}`)
        .join('; ');
      for (const route of ROUTES) {
        const t0 = performance.now();
        const res = await fetch(`${stack.appUrl}/api/chart/${launchId}/${route}`, { headers: { cookie } });
        if (!res.ok) throw new Error(`${personality} ${route}: HTTP ${res.status}`);
        const body: unknown = await res.json();
        const ms = performance.now() - t0;
        const key = `${personality} ${route}`;
        const row = out.get(key) ?? { ms: [], readings: '' };
        row.ms.push(ms);
        const n = String(readings(body));
        if (row.readings !== '' && row.readings !== n) row.readings += `/${n}`;
        else row.readings = n;
        out.set(key, row);
      }
    }
  }
  return out;
}

async function withStack(env: Record<string, string>): Promise<Figures> {
  const stack = await startStack({ appPort: 3230, sandboxPort: 4230, env });
  try {
    return await measure(stack);
  } finally {
    await stack.stop();
  }
}

console.log(
  `${PATIENT}, every FHIR request answered after ${LATENCY_MS} ms; each route alone, median of ${RUNS}`,
);
const oneAtATime = await withStack({ INSTANCES: '6' });
const shipped = await withStack({});
let differ = 0;
for (const [key, shippedRow] of shipped) {
  const base = oneAtATime.get(key);
  if (!base) continue;
  const same = base.readings === shippedRow.readings;
  if (!same) differ++;
  console.log(
    `  ${key.padEnd(32)} one request at a time ${median(base.ms).toFixed(0).padStart(6)} ms, as shipped ${median(shippedRow.ms).toFixed(0).padStart(6)} ms; readings ${shippedRow.readings}${same ? '' : ` (one at a time: ${base.readings})`}`,
  );
}
console.log(
  differ === 0 ? 'the same readings both ways' : `${differ} route(s) charted other readings one at a time`,
);
