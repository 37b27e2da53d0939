import 'server-only';
import { getAuditLog } from '../audit';
import { AppError } from '../errors';
import { jsonError } from '../http/responses';
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

/**
 * A JSON route's answer with its dependencies, or 503 `unavailable` when the audit or launch store cannot be opened
 * (a database down since before this process's first request): nothing is read, and no error dump reaches the log.
 */
export async function withRouteDeps(
  answer: (deps: RouteDeps & FlowDeps) => Promise<Response>,
): Promise<Response> {
  let deps: RouteDeps & FlowDeps;
  try {
    deps = await routeDeps();
  } catch (cause) {
    log().warn({ event: 'stores-unavailable', cause: codeOf(cause) });
    return jsonError(
      new AppError('unavailable', 'The app cannot reach its records right now. Please try again shortly.', {
        cause,
      }),
    );
  }
  return answer(deps);
}

/** An error's code (a SQLSTATE, an errno, the store's own), never its message: messages may carry anything. */
function codeOf(e: unknown): string {
  const code = (e as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : e instanceof Error ? e.name : 'unknown';
}
