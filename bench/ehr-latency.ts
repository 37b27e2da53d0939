/**
 * Chart data from an EHR that takes its time over every request, as real ones do: the sandbox answers each FHIR
 * request after a set delay (its `latency` fault, 500 ms unless told), and per personality the chart page (launch to
 * the last byte of the page, the chart's first data in it) and then the app's routes one at a time are timed, for
 * each patient: by default the typical one and the deceased one, whose record ended two years ago (the range ends at
 * the last data, found by looking back from today). The same run measures the app holding itself to one request at a
 * time to the EHR (INSTANCES=6 divides the default limit of 6 down to 1: each date window waits for the one before
 * it) beside the app as it ships (up to 6 at a time), and checks both charted the same readings.
 * Run: npm run bench:ehr-latency [-- --latency 500 --patients sbx-adult-htn,sbx-deceased --runs 3]
 */
import './support/runtime';
import { parseArgs } from 'node:util';
import { followRedirects, startStack, type Stack } from './support/stack';
import { median } from './support/stats';

const { values } = parseArgs({
  options: {
    latency: { type: 'string', default: '500' },
    patients: { type: 'string', default: 'sbx-adult-htn,sbx-deceased' },
    runs: { type: 'string', default: '3' },
  },
});
const LATENCY_MS = Number(values.latency);
const PATIENTS = values.patients.split(',');
const RUNS = Number(values.runs);
const PERSONALITIES = ['generic', 'epic', 'cerner', 'athena', 'nextgen'] as const;
const ROUTES = ['vitals?range=1y', 'labs?range=1y', 'vitals?range=5y', 'vitals?range=all'] as const;
/** The chart page: launch, callback and the page, the chart's first data in it. */
const PAGE = 'chart page';

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
  const note = (key: string, ms: number, n: number | string) => {
    const row = out.get(key) ?? { ms: [], readings: '' };
    row.ms.push(ms);
    if (row.readings !== '' && row.readings !== String(n)) row.readings += `/${n}`;
    else row.readings = String(n);
    out.set(key, row);
  };
  const faults = encodeURIComponent(JSON.stringify({ kind: 'latency', ms: LATENCY_MS }));
  for (let run = 0; run < RUNS; run++) {
    for (const patient of PATIENTS) {
      for (const personality of PERSONALITIES) {
        const launch = `${stack.sandboxUrl}/launch/ehr?practitioner=sbx-dr-lee&patient=${patient}&personality=${personality}&frame=0&faults=${faults}`;
        const t0 = performance.now();
        const { url, jar } = await followRedirects(launch, (u) => u.pathname.startsWith('/chart/'));
        const launchId = url.pathname.split('/').pop() ?? '';
        const cookie = [...(jar.get(new URL(stack.appUrl).origin) ?? new Map<string, string>())]
          .map(([k, v]) => `${k}=${v}`)
          .join('; ');
        // As a browser opens it: a navigation of the app's own.
        const page = await fetch(url, {
          headers: {
            cookie,
            'sec-fetch-site': 'same-origin',
            'sec-fetch-mode': 'navigate',
            'sec-fetch-dest': 'document',
          },
        });
        const html = await page.text();
        if (!page.ok) throw new Error(`${personality} ${PAGE}: HTTP ${page.status}`);
        // The panels that came without their data (the browser asks for them after).
        note(
          `${patient} ${personality} ${PAGE}`,
          performance.now() - t0,
          `${(html.match(/Loading (vitals|lab results)/g) ?? []).length} panels left to load`,
        );
        for (const route of ROUTES) {
          const t1 = performance.now();
          const res = await fetch(`${stack.appUrl}/api/chart/${launchId}/${route}`, { headers: { cookie } });
          if (!res.ok) throw new Error(`${personality} ${route}: HTTP ${res.status}`);
          const body: unknown = await res.json();
          note(`${patient} ${personality} ${route}`, performance.now() - t1, readings(body));
        }
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
  `${PATIENTS.join(', ')}: every FHIR request answered after ${LATENCY_MS} ms; the chart page, then each route alone; median of ${RUNS}`,
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
    `  ${key.padEnd(46)} one request at a time ${median(base.ms).toFixed(0).padStart(6)} ms, as shipped ${median(shippedRow.ms).toFixed(0).padStart(6)} ms; readings ${shippedRow.readings}${same ? '' : ` (one at a time: ${base.readings})`}`,
  );
}
console.log(
  differ === 0 ? 'the same readings both ways' : `${differ} route(s) charted other readings one at a time`,
);
