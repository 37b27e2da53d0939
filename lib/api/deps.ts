import 'server-only';
import { getAuditLog } from '../audit';
import { consoleUsers } from '../console/deps';
import { env } from '../env';
import { detectVendor } from '../fhir/vendors';
import { log } from '../log';
import type { FlowDeps } from '../smart/launch-flow';
import { registrations } from '../smart/registrations';
import { getLaunchStore } from '../state';
import type { RouteDeps } from './launch-guard';

/** The production wiring of the flows: real env, registrations, audit log and fetch. */
export async function routeDeps(): Promise<RouteDeps & FlowDeps> {
  const [audit, launches] = await Promise.all([getAuditLog(), getLaunchStore()]);
  return {
    env: env(),
    audit,
    launches,
    registrations: registrations(),
    log: log(),
    detectVendor: (config) => detectVendor(config.capabilityStatement, config),
    // Opened only by an open-server launch's first request.
    consoleAccount: async (userId) => (await consoleUsers()).get(userId),
  };
}
