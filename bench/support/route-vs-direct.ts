/**
 * The full chart data of one patient (range "all") read through the app's
 * routes, as the chart does, against the same searches done directly with
 * fhirclient's own paging.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import smart from 'fhirclient/lib/entry/node';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { followRedirects, type Stack } from './stack';

export interface RouteVsDirect {
  readonly appMs: number;
  readonly directMs: number;
  readonly vitalsPoints: number;
  readonly labResults: number;
  readonly directObservations: number;
  /** CPU time the app server spent while its routes answered, and fhirclient's process over its reads (ms). */
  readonly appCpuMs: number;
  readonly directCpuMs: number;
  /** The app server's CPU time over its reads by thread (ms): see `ThreadCpu`. */
  readonly appThreadsMs: ThreadCpu;
  /** The sandbox EHR's CPU time while the app's routes read from it, and while fhirclient did (ms). */
  readonly ehrCpuForAppMs: number;
  readonly ehrCpuForDirectMs: number;
}

/**
 * A Node.js process's CPU time by thread: its main thread (JavaScript), its other threads named `node` (V8's
 * helpers, which collect garbage in parallel and compile, and any worker threads) and libuv's pool (compression,
 * files, hashing).
 */
export interface ThreadCpu {
  readonly main: number;
  readonly helpers: number;
  readonly pool: number;
}

/** User + system CPU time of a process or thread so far, in ms (Linux /proc; clock ticks of 10 ms). */
function cpuMsOf(pid: number, stat = `/proc/${pid}/stat`): number {
  const fields = readFileSync(stat, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** CPU time by thread so far; threads that end in between are not counted. */
function threadCpuOf(pid: number): Map<string, { name: string; ms: number }> {
  const out = new Map<string, { name: string; ms: number }>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      out.set(tid, { name, ms: cpuMsOf(pid, `/proc/${pid}/task/${tid}/stat`) });
    } catch {
      // The thread ended while it was read.
    }
  }
  return out;
}

function threadCpuSince(pid: number, before: Map<string, { name: string; ms: number }>): ThreadCpu {
  let main = 0;
  let helpers = 0;
  let pool = 0;
  for (const [tid, { name, ms }] of threadCpuOf(pid)) {
    const spent = ms - (before.get(tid)?.ms ?? 0);
    if (tid === String(pid)) main += spent;
    else if (name === 'libuv-worker') pool += spent;
    else helpers += spent;
  }
  return { main, helpers, pool };
}

/** The app server's CPU over a read as the benchmarks print it. */
export function threadCpuText(t: ThreadCpu): string {
  return `main thread ${t.main.toFixed(0)} ms, V8 helper and worker threads ${t.helpers.toFixed(0)} ms, libuv pool ${t.pool.toFixed(0)} ms`;
}

function ownCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Launches the chart and reads its four routes in parallel; the time of the reads alone. */
async function throughTheApp(stack: Stack, patient: string) {
  const launch = `${stack.sandboxUrl}/launch/ehr?practitioner=sbx-dr-lee&patient=${patient}&personality=generic&frame=0`;
  const { url, jar } = await followRedirects(launch, (u) => u.pathname.startsWith('/chart/'));
  const launchId = url.pathname.split('/').pop()!;
  const cookie = [...(jar.get(new URL(stack.appUrl).origin) ?? new Map<string, string>())]
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');
  const routes = ['patient', 'vitals?range=all', 'labs?range=all', 'problems'];
  const cpu0 = cpuMsOf(stack.appPid);
  const threads0 = threadCpuOf(stack.appPid);
  const ehr0 = cpuMsOf(stack.sandboxPid);
  const t0 = performance.now();
  const bodies = await Promise.all(
    routes.map(async (r) => {
      const res = await fetch(`${stack.appUrl}/api/chart/${launchId}/${r}`, { headers: { cookie } });
      if (!res.ok) throw new Error(`${r}: HTTP ${res.status}`);
      return (await res.json()) as { data: unknown };
    }),
  );
  const appMs = performance.now() - t0;
  const appCpuMs = cpuMsOf(stack.appPid) - cpu0;
  const appThreadsMs = threadCpuSince(stack.appPid, threads0);
  const ehrCpuForAppMs = cpuMsOf(stack.sandboxPid) - ehr0;
  const vitalsPoints = (bodies[1]!.data as { series: { points: unknown[] }[] }).series.reduce(
    (n, s) => n + s.points.length,
    0,
  );
  const labResults = (bodies[2]!.data as { groups: { history: unknown[] }[] }).groups.reduce(
    (n, g) => n + g.history.length,
    0,
  );
  return { appMs, appCpuMs, appThreadsMs, ehrCpuForAppMs, vitalsPoints, labResults, jar };
}

/** A fhirclient client on the sandbox's generic FHIR base, with a token of our own (authorization code + PKCE). */
export async function fhirclientFor(stack: Stack, patient: string, jar: Map<string, Map<string, string>>) {
  const fhirBase = `${stack.sandboxUrl}/generic/fhir`;
  const discovery = (await (await fetch(`${fhirBase}/.well-known/smart-configuration`)).json()) as {
    authorization_endpoint: string;
    token_endpoint: string;
  };
  const verifier = randomBytes(32).toString('base64url');
  const auth = new URL(discovery.authorization_endpoint);
  const params = {
    response_type: 'code',
    client_id: 'smart-chart',
    redirect_uri: `${stack.appUrl}/callback`,
    scope: 'launch/patient openid fhirUser patient/*.rs',
    state: randomBytes(16).toString('base64url'),
    aud: fhirBase,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  };
  for (const [k, v] of Object.entries(params)) auth.searchParams.set(k, v);
  const session = await fetch(`${stack.sandboxUrl}/session?user=Practitioner/sbx-dr-lee&patient=${patient}`, {
    redirect: 'manual',
  });
  const sandboxJar = new Map<string, string>();
  for (const c of session.headers.getSetCookie()) {
    const [pair] = c.split(';');
    const i = pair!.indexOf('=');
    sandboxJar.set(pair!.slice(0, i), pair!.slice(i + 1));
  }
  jar.set(new URL(stack.sandboxUrl).origin, sandboxJar);
  const cb = await followRedirects(auth.toString(), (u) => u.pathname === '/callback', jar);
  const code = cb.url.searchParams.get('code');
  if (!code) throw new Error('no authorization code');
  const tokenRes = await fetch(discovery.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: params.redirect_uri,
      code_verifier: verifier,
      client_id: 'smart-chart',
    }),
  });
  const token = (await tokenRes.json()) as { access_token: string };
  const fakeReq = { headers: { host: 'localhost' }, url: '/' } as unknown as IncomingMessage;
  return smart(fakeReq, {} as ServerResponse).client({
    serverUrl: fhirBase,
    tokenResponse: { access_token: token.access_token },
  });
}

/** fhirclient's paging over the same searches as the chart's routes. */
async function directly(stack: Stack, patient: string, jar: Map<string, Map<string, string>>) {
  const client = await fhirclientFor(stack, patient, jar);
  const searches = [
    `Patient/${patient}`,
    `Observation?patient=${patient}&category=vital-signs&_count=500`,
    `Observation?patient=${patient}&category=laboratory&_count=500`,
    `Patient/${patient}`,
    `Condition?patient=${patient}&_count=500`,
  ];
  const cpu1 = ownCpuMs();
  const ehr1 = cpuMsOf(stack.sandboxPid);
  const t1 = performance.now();
  const direct = await Promise.all(searches.map((s) => client.request(s, { pageLimit: 0, flat: true })));
  const directMs = performance.now() - t1;
  const directCpuMs = ownCpuMs() - cpu1;
  const ehrCpuForDirectMs = cpuMsOf(stack.sandboxPid) - ehr1;
  return {
    directMs,
    directCpuMs,
    ehrCpuForDirectMs,
    directObservations: (direct[1] as unknown[]).length + (direct[2] as unknown[]).length,
  };
}

export async function routeVsDirect(stack: Stack, patient: string): Promise<RouteVsDirect> {
  const app = await throughTheApp(stack, patient);
  const direct = await directly(stack, patient, app.jar);
  return { ...app, ...direct };
}
