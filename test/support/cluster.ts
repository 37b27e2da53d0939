/**
 * Several production app instances behind HAProxy (round-robin, no
 * stickiness), sharing one PostgreSQL audit database, one PostgreSQL launch
 * store, the same secrets and an audit witness (its own process and data
 * directory, as on another host), with the sandbox EHR: what the deployment
 * guide describes, started for tests and benchmarks and stopped by process id.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { asApp, freshPgDatabase } from '../../lib/audit/testing/harness';
import { appProcessEnv } from '../../scripts/app-process.mjs';
import { secretVariables } from './secrets';

export interface Instance {
  readonly name: string;
  readonly url: string;
  readonly pid: number;
}

export interface Cluster {
  /** The balancer in front of every instance. */
  readonly url: string;
  /** A second balancer frontend in front of the first instance only (for one-instance figures). */
  readonly singleUrl: string;
  readonly sandboxUrl: string;
  readonly instances: readonly Instance[];
  /** The environment every instance shares (databases, secrets), for running the app's scripts. */
  readonly env: Readonly<Record<string, string>>;
  /** Superuser URL of the audit database. */
  readonly auditOwnerUrl: string;
  /** Where each process writes its output. */
  readonly logDir: string;
  /** Token requests the sandbox EHR has received, by grant type. */
  tokenRequests(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

/** Why a cluster cannot start here, or undefined when it can. */
export function clusterUnavailable(pgUrl: string | undefined): string | undefined {
  if (!pgUrl) return 'set AUDIT_TEST_PG_URL to a PostgreSQL superuser URL';
  if (spawnSync('haproxy', ['-v']).status !== 0) return 'install HAProxy (apt-get install -y haproxy)';
  return undefined;
}

export async function waitFor(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not come up within ${timeoutMs / 1000} s`);
}

function haproxyConfig(port: number, singlePort: number, instances: readonly Instance[]): string {
  const servers = (list: readonly Instance[]) =>
    list.map((i) => `  server ${i.name} ${new URL(i.url).host} check inter 1s rise 1 fall 2`).join('\n');
  const backend = (name: string, list: readonly Instance[]) => `backend ${name}
  balance roundrobin
  option httpchk GET /api/ready
  # The app reads the client address from here (TRUST_PROXY=true): set it, never pass on the client's.
  http-request set-header X-Forwarded-For %[src]
${servers(list)}
`;
  return `global
  maxconn 2000
defaults
  mode http
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  # Longer than Node's fetch keeps an idle connection (4 s, checked about once a second): at 5 s the balancer could
  # close one just as a test's next request went out on it ("other side closed").
  timeout http-keep-alive 15s
frontend pool
  bind 127.0.0.1:${port}
  default_backend pool
frontend single
  bind 127.0.0.1:${singlePort}
  default_backend single
${backend('pool', instances)}
${backend('single', instances.slice(0, 1))}`;
}

/** Waits for a process's log to show a line matching `line`; returns the match. */
async function waitForLine(file: string, line: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const m = line.exec(readFileSync(file, 'utf8'));
    if (m) return m;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${file} showed no ${String(line)} within ${timeoutMs / 1000} s`);
}

export async function startCluster(opts: {
  pgUrl: string;
  /** The balancer's port; the instances take the next ones, the single-instance frontend the one after. */
  port: number;
  sandboxPort: number;
  instances: number;
  env?: Record<string, string>;
  sandboxEnv?: Record<string, string>;
}): Promise<Cluster> {
  const { buildIfNeeded } = (await import(path.resolve('scripts/build-if-needed.mjs'))) as {
    buildIfNeeded: (o?: { quiet?: boolean }) => boolean;
  };
  buildIfNeeded({ quiet: true });
  const logDir = mkdtempSync(path.join(tmpdir(), 'cluster-'));
  const children: ChildProcess[] = [];
  const drops: (() => Promise<void>)[] = [];
  const url = `http://localhost:${opts.port}`;
  const singlePort = opts.port + opts.instances + 1;
  const sandboxUrl = `http://localhost:${opts.sandboxPort}`;
  const run = (name: string, cmd: string, args: string[], env: Record<string, string>): ChildProcess => {
    const out = openSync(path.join(logDir, `${name}.log`), 'a');
    const child = spawn(cmd, args, { stdio: ['ignore', out, out], env: { ...process.env, ...env } });
    children.push(child);
    return child;
  };
  const stop = async (): Promise<void> => {
    for (const c of children.reverse()) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
    await Promise.all(
      children.map(
        (c) =>
          new Promise((resolve) =>
            c.exitCode !== null || c.signalCode !== null ? resolve(null) : c.once('exit', resolve),
          ),
      ),
    );
    for (const drop of drops) await drop().catch(() => undefined);
  };
  try {
    const auditDb = await freshPgDatabase(opts.pgUrl);
    drops.push(() => auditDb.drop());
    const stateDb = await freshPgDatabase(opts.pgUrl);
    drops.push(() => stateDb.drop());
    const secrets = { ...secretVariables(), ...opts.env };
    // The witness trusts the instances' audit signing key and cosigns what they sign; DEPLOYMENT=cluster requires one.
    run('witness', process.execPath, ['--import', 'tsx', 'scripts/witness.ts'], {
      WITNESS_PORT: String(opts.port + opts.instances + 2),
      WITNESS_DATA_DIR: path.join(logDir, 'witness'),
      WITNESS_NAME: 'localhost/cluster-witness',
      WITNESS_LOG_PUBLIC_KEYS: createPublicKey(secrets.AUDIT_SIGNING_KEY)
        .export({ type: 'spki', format: 'pem' })
        .toString(),
    });
    const [, witnessUrl, vkey] = await waitForLine(
      path.join(logDir, 'witness.log'),
      /^Witness \S+ on (\S+) \(vkey (\S+)\)$/m,
      60_000,
    );
    const shared: Record<string, string> = {
      NODE_ENV: 'production',
      DEPLOYMENT: 'cluster',
      INSTANCES: String(opts.instances),
      APP_URL: url,
      SANDBOX_URL: sandboxUrl,
      // The audit store through its own unprivileged login; migrations through the owner.
      AUDIT_DATABASE_URL: asApp(auditDb.url),
      AUDIT_DATABASE_OWNER_URL: auditDb.url,
      // The launch store with a login of its own (here the test cluster's superuser).
      STATE_DATABASE_URL: stateDb.url,
      // One checkpoint directory, as a shared mount (or bucket) would be.
      AUDIT_CHECKPOINT_DIR: path.join(logDir, 'checkpoints'),
      AUDIT_WITNESSES: `${witnessUrl} ${vkey}`,
      AUDIT_WITNESS_QUORUM: '1',
      TRUST_PROXY: 'true',
      LOG_LEVEL: 'warn',
      ...secrets,
    };
    run('sandbox', process.execPath, ['--import', 'tsx', 'sandbox/main.ts'], {
      SANDBOX_PORT: String(opts.sandboxPort),
      SANDBOX_PUBLIC_URL: sandboxUrl,
      SANDBOX_APP_URL: url,
      ...opts.sandboxEnv,
    });
    await waitFor(`${sandboxUrl}/_sandbox/health`, 180_000);
    const instances: Instance[] = [];
    for (let i = 1; i <= opts.instances; i++) {
      const name = `app-${i}`;
      const child = run(name, process.execPath, ['scripts/server.mjs'], {
        ...shared,
        // Memory settings as the deployment guide starts each instance (glibc arenas, V8's young generation).
        ...appProcessEnv(),
        PORT: String(opts.port + i),
        DATA_DIR: path.join(logDir, name),
        CHART_INSTANCE_NAME: name,
      });
      instances.push({ name, url: `http://localhost:${opts.port + i}`, pid: child.pid! });
      // One at a time: the first creates the schemas, and the machine is small.
      await waitFor(`${instances[i - 1]!.url}/api/ready`, 120_000);
    }
    const config = path.join(logDir, 'haproxy.cfg');
    writeFileSync(config, haproxyConfig(opts.port, singlePort, instances));
    run('haproxy', 'haproxy', ['-db', '-f', config], {});
    await waitFor(`${url}/api/ready`, 30_000);
    await waitFor(`http://localhost:${singlePort}/api/ready`, 30_000);
    const { warmUp } = (await import(path.resolve('scripts/warm-up.mjs'))) as {
      warmUp: (url: string) => Promise<void>;
    };
    for (const i of instances) await warmUp(i.url);
    const { NODE_ENV: _production, ...scriptEnv } = shared;
    return {
      url,
      singleUrl: `http://localhost:${singlePort}`,
      sandboxUrl,
      instances,
      env: scriptEnv,
      auditOwnerUrl: auditDb.url,
      logDir,
      async tokenRequests() {
        return (await (await fetch(`${sandboxUrl}/_sandbox/token-requests`)).json()) as Record<
          string,
          number
        >;
      },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

/**
 * fetch through the balancer as a browser sends a GET: one that went out on a kept-alive connection the balancer
 * closed without answering is sent once more (RFC 9112, 9.3.1; HAProxy closes the client's connection so that it
 * can). Other methods are sent once.
 */
export async function fetchRetryingGet(
  url: string | URL,
  init: RequestInit = {},
  /** Told of a retry: the first request may have been served (and recorded) all the same. */
  onRetry?: () => void,
): Promise<Response> {
  const method = (init.method ?? 'GET').toUpperCase();
  try {
    return await fetch(url, init);
  } catch (e) {
    const code = (e as { cause?: { code?: string } }).cause?.code;
    if ((method !== 'GET' && method !== 'HEAD') || code !== 'UND_ERR_SOCKET') throw e;
    onRetry?.();
    return fetch(url, init);
  }
}

export type Jar = Map<string, Map<string, string>>;

export interface Hop {
  readonly url: URL;
  readonly status: number;
  /** The Cookie header sent. */
  readonly cookie: string;
  /** The app instance that answered (x-chart-instance), when an app did. */
  readonly instance?: string;
}

/** Follows redirects by hand with a cookie jar per origin, recording which instance answered each hop. */
export async function followRedirects(
  start: string,
  stop: (url: URL) => boolean,
  jar: Jar = new Map(),
): Promise<{ url: URL; jar: Jar; hops: Hop[] }> {
  let url = new URL(start);
  const hops: Hop[] = [];
  for (let i = 0; i < 20; i++) {
    if (stop(url)) return { url, jar, hops };
    const cookies = jar.get(url.origin) ?? new Map<string, string>();
    const cookie = cookieHeader(cookies);
    const res = await fetch(url, { redirect: 'manual', headers: { cookie } });
    await res.arrayBuffer();
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    jar.set(url.origin, cookies);
    const instance = res.headers.get('x-chart-instance');
    hops.push({ url, status: res.status, cookie, ...(instance ? { instance } : {}) });
    const location = res.headers.get('location');
    if (!location) return { url, jar, hops };
    url = new URL(location, url);
  }
  throw new Error('too many redirects');
}

export function cookieHeader(cookies: ReadonlyMap<string, string> | undefined): string {
  return [...(cookies ?? [])].map(([k, v]) => `${k}=${v}`).join('; ');
}
