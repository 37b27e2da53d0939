import 'server-only';
import path from 'node:path';
import { getAuditLog } from './audit';
import { DataDirInUseError, lockDataDir } from './audit/dir-lock';
import { EMBEDDED } from './audit/driver-pglite';
import { BrandsBundleError, importedBrands } from './brands';
import { embeddedAuditDir, env, EnvError } from './env';
import { registrations, RegistrationsError } from './smart/registrations';
import { embeddedStateDatabase, openedLaunchStore } from './state';

const SHUTDOWN = Symbol.for('smart-chart.shutdown');
type ShutdownHooks = (() => Promise<void>)[];

/**
 * Once per process, when the server starts (instrumentation.ts): the
 * environment is parsed, so a set-up the app must not run with (a malformed
 * variable, or one DEPLOYMENT=cluster refuses) stops the process with the
 * reason and its fix before it serves a request, and the shutdown hook is
 * handed to scripts/server.mjs. On SIGTERM the server stops taking requests,
 * lets in-flight ones finish, then runs it: the audit store commits what is
 * pending and signs a last checkpoint, and the launch store closes.
 */
export function startInstance(): void {
  refuseToStartOn(EnvError, '', () => env());
  refuseToStartOn(BrandsBundleError, ': the brands bundle is refused', () => importedBrands());
  refuseToStartOn(RegistrationsError, ': the EHR registrations are refused', () => registrations());
  refuseToStartOn(DataDirInUseError, ': another process uses this DATA_DIR', probeEmbeddedDatabases);
  // The hooks live on globalThis, where scripts/server.mjs finds them.
  const g = globalThis as { [SHUTDOWN]?: ShutdownHooks };
  const hooks = (g[SHUTDOWN] ??= []);
  if (hooks.length === 0) {
    const sweeping = sweepOverdueLaunches();
    hooks.push(async () => {
      clearInterval(sweeping);
      await closeStores();
    });
  }
}

/**
 * Every SESSION_SWEEP_SECONDS (a minute), launches past their idle or absolute limit that no request has found so
 * are ended, their tokens revoked and the log-off recorded (lib/api/overdue.ts). The stores open at the first sweep,
 * not at start.
 */
function sweepOverdueLaunches(): NodeJS.Timeout {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    void (async () => {
      const [{ routeDeps }, { endOverdueLaunches }] = await Promise.all([
        import('./api/deps'),
        import('./api/overdue'),
      ]);
      await endOverdueLaunches(await routeDeps(), Date.now());
    })()
      // The store may be down for a while: the next sweep tries again, and requests still check the limits.
      .catch(() => undefined)
      .finally(() => (running = false));
  }, env().SESSION_SWEEP_SECONDS * 1000);
  timer.unref();
  return timer;
}

/** Runs a start-up check; the error it names stops the process with the reason (others are thrown on). */
function refuseToStartOn(
  kind: abstract new (...args: never[]) => Error,
  why: string,
  check: () => unknown,
): void {
  try {
    check();
  } catch (e) {
    if (!(e instanceof kind)) throw e;
    process.stderr.write(`app: refusing to start${why}.\n${e.message}\n`);
    process.exit(1);
  }
}

/**
 * The embedded databases (PGlite) take a lock on their directory when they
 * open (lib/audit/dir-lock.ts); a second app on the same DATA_DIR would only
 * find out at its first request and then answer 503 until the other stops.
 * Taking and releasing the locks here refuses it at start, with the reason.
 */
function probeEmbeddedDatabases(): void {
  const e = env();
  const dirs: string[] = [];
  if (!e.AUDIT_DATABASE_URL) dirs.push(embeddedAuditDir(e.dataDir));
  const state = e.STATE_DATABASE_URL ? undefined : embeddedStateDatabase(e.dataDir);
  if (state?.kind === 'pglite' && state.dataDir) dirs.push(state.dataDir);
  for (const dir of dirs) lockDataDir(path.resolve(dir), EMBEDDED).release();
}

async function closeStores(): Promise<void> {
  const audit = await getAuditLog().catch(() => undefined);
  await audit?.store.close();
  await (await openedLaunchStore()?.catch(() => undefined))?.close();
}
