/**
 * Two local PostgreSQL 15 servers, a primary and a synchronous streaming
 * standby, behind HAProxy in TCP mode (the standby a backup server, used once
 * the primary is down), as a failover set-up is reached by the app: one
 * address that follows the primary. Runs as root, each server as the postgres
 * user; every process is stopped by its id.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

const BIN = '/usr/lib/postgresql/15/bin';

export interface StandbyPair {
  /** Superuser URL through the balancer: always the current primary. */
  readonly url: string;
  readonly primaryUrl: string;
  readonly standbyUrl: string;
  /** kill -9 of the primary's postmaster. */
  killPrimary(): void;
  /** Promotes the standby to primary (pg_promote), waiting until it accepts writes. */
  promoteStandby(): Promise<void>;
  stop(): Promise<void>;
}

const postgresUser = (): { uid: number; gid: number } | undefined => {
  const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
};

/** Why the pair cannot run here, or undefined when it can. */
export function standbyUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'run as root (the servers run as the postgres user)';
  if (!postgresUser()) return 'install PostgreSQL 15 (apt-get install -y postgresql-15)';
  if (spawnSync(`${BIN}/postgres`, ['--version']).status !== 0) return `no PostgreSQL 15 server in ${BIN}`;
  if (spawnSync('haproxy', ['-v']).status !== 0) return 'install HAProxy (apt-get install -y haproxy)';
  return undefined;
}

async function waitForSql(url: string, sql: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    try {
      await c.connect();
      const { rows } = await c.query<{ ok: boolean }>(sql);
      if (rows[0]?.ok) return;
    } catch (e) {
      last = e;
    } finally {
      await c.end().catch(() => undefined);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${sql} did not hold within ${timeoutMs / 1000} s`, { cause: last });
}

export async function startStandbyPair(ports: {
  balancer: number;
  primary: number;
  standby: number;
}): Promise<StandbyPair> {
  const user = postgresUser()!;
  const dir = mkdtempSync(path.join(tmpdir(), 'pg-standby-'));
  chownSync(dir, user.uid, user.gid);
  const children: ChildProcess[] = [];
  const asPostgres = (cmd: string, args: string[]) => {
    const r = spawnSync(cmd, args, { ...user, cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${path.basename(cmd)} failed: ${r.stderr}`);
  };
  const server = (name: string, port: number, settings: Record<string, string>): ChildProcess => {
    const out = openSync(path.join(dir, `${name}.log`), 'a');
    chownSync(path.join(dir, `${name}.log`), user.uid, user.gid);
    const args = [
      '-D',
      path.join(dir, name),
      '-p',
      String(port),
      '-k',
      dir,
      '-c',
      'listen_addresses=127.0.0.1',
    ];
    for (const [k, v] of Object.entries(settings)) args.push('-c', `${k}=${v}`);
    const child = spawn(`${BIN}/postgres`, args, { ...user, cwd: dir, stdio: ['ignore', out, out] });
    children.push(child);
    return child;
  };
  const url = (port: number) => `postgresql://postgres@127.0.0.1:${port}/postgres`;
  const stop = async (): Promise<void> => {
    for (const c of [...children].reverse())
      if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
    await Promise.all(
      children.map(
        (c) =>
          new Promise((resolve) =>
            c.exitCode !== null || c.signalCode !== null ? resolve(null) : c.once('exit', resolve),
          ),
      ),
    );
  };
  try {
    asPostgres(`${BIN}/initdb`, [
      '-D',
      path.join(dir, 'primary'),
      '-U',
      'postgres',
      '--auth=trust',
      '-E',
      'UTF8',
    ]);
    const primary = server('primary', ports.primary, {
      wal_level: 'replica',
      max_wal_senders: '4',
      // An acknowledged commit is flushed on the standby too.
      synchronous_commit: 'on',
      synchronous_standby_names: '*',
    });
    await waitForSql(url(ports.primary), 'SELECT true AS ok', 30_000);
    asPostgres(`${BIN}/pg_basebackup`, [
      '-h',
      '127.0.0.1',
      '-p',
      String(ports.primary),
      '-U',
      'postgres',
      '-D',
      path.join(dir, 'standby'),
      '-R',
      '-X',
      'stream',
    ]);
    server('standby', ports.standby, { hot_standby: 'on' });
    await waitForSql(
      url(ports.primary),
      `SELECT count(*) = 1 AS ok FROM pg_stat_replication WHERE sync_state = 'sync'`,
      30_000,
    );
    const config = path.join(dir, 'haproxy.cfg');
    writeFileSync(
      config,
      `defaults
  mode tcp
  timeout connect 2s
  timeout client 5m
  timeout server 5m
listen postgres
  bind 127.0.0.1:${ports.balancer}
  option pgsql-check user postgres
  default-server inter 500ms fall 1 rise 1 on-marked-down shutdown-sessions
  server primary 127.0.0.1:${ports.primary} check
  server standby 127.0.0.1:${ports.standby} check backup
`,
    );
    children.push(spawn('haproxy', ['-db', '-f', config], { stdio: 'ignore' }));
    await waitForSql(url(ports.balancer), 'SELECT NOT pg_is_in_recovery() AS ok', 30_000);
    return {
      url: url(ports.balancer),
      primaryUrl: url(ports.primary),
      standbyUrl: url(ports.standby),
      killPrimary: () => void primary.kill('SIGKILL'),
      async promoteStandby() {
        const c = new pg.Client({ connectionString: url(ports.standby) });
        await c.connect();
        try {
          await c.query('SELECT pg_promote(true, 30)');
        } finally {
          await c.end();
        }
        await waitForSql(url(ports.balancer), 'SELECT NOT pg_is_in_recovery() AS ok', 30_000);
      },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
