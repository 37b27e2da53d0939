import 'server-only';
import { getAuditLog } from '../audit';
import { env } from '../env';
import { detectVendor } from '../fhir/vendors';
import { log } from '../log';
import type { FlowDeps } from '../smart/launch-flow';
import { registrations } from '../smart/registrations';
import { getLaunchStore } from '../state';
import type { RouteDeps } from './launch-guard';

const SHUTDOWN = Symbol.for('smart-chart.shutdown');
type ShutdownHooks = (() => Promise<void>)[];

/**
 * On SIGTERM the app's server (scripts/server.mjs) stops taking requests, lets
 * in-flight ones finish, then runs these hooks: the audit store commits what is
 * pending and signs a last checkpoint before the process exits.
 */
function registerShutdown(close: () => Promise<void>): void {
  // The hooks live on globalThis, where scripts/server.mjs finds them, once per process.
  const g = globalThis as { [SHUTDOWN]?: ShutdownHooks };
  const hooks = (g[SHUTDOWN] ??= []);
  if (hooks.length === 0) hooks.push(close);
}

/** The production wiring of the flows: real env, registrations, audit log and fetch. */
export async function routeDeps(): Promise<RouteDeps & FlowDeps> {
  const [audit, launches] = await Promise.all([getAuditLog(), getLaunchStore()]);
  registerShutdown(async () => {
    await audit.store.close();
    await launches.close();
  });
  return {
    env: env(),
    audit,
    launches,
    registrations: registrations(),
    log: log(),
    detectVendor: (config) => detectVendor(config.capabilityStatement, config),
  };
}
