/**
 * The sandbox FHIR R4 server for one personality: bearer-token check, fault
 * injection, then read (through Medplum's FhirRouter) or search (own engine over
 * a per-patient index), each answered in the personality's shape.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { getStatus, isOk } from '@medplum/core';
import { FhirRouter } from '@medplum/fhir-router';
import type { MemoryRepository } from '@medplum/fhir-router';
import type { Bundle, BundleEntry, Reference, Resource } from '@medplum/fhirtypes';
import type { FhirHandler, OAuthEndpoints, Personality, TokenGrant, TokenValidator } from '../contract';
import { checkAccess, inCompartment } from './access';
import { capabilityStatement } from './capability';
import { FaultInjector } from './faults';
import { bearerToken, sendReply, sendResource, sleep } from './http';
import { PageStore } from './page-store';
import { outcome } from './personalities/common';
import { personalityDef } from './personalities';
import type { PersonalityDef } from './personalities/types';
import { indexRepository } from './repo-index';
import type { RepoIndex } from './repo-index';
import { decorate, handleSearch } from './search-handler';

export interface FhirHandlerOptions {
  readonly baseUrl: string;
  readonly personality: Personality;
  readonly repo: MemoryRepository;
  readonly validateToken: TokenValidator;
  readonly oauth: OAuthEndpoints;
}

const RESOURCE_TYPE = /^[A-Z][A-Za-z]+$/;
const ID = /^[A-Za-z0-9\-.]{1,64}$/;

function unauthorized(res: ServerResponse, error?: 'invalid_token'): void {
  const challenge = error ? `Bearer realm="sandbox", error="${error}"` : 'Bearer realm="sandbox"';
  sendResource(
    res,
    401,
    outcome(
      'forbidden',
      error ? 'The access token is invalid, expired or revoked' : 'Authentication required',
    ),
    { 'www-authenticate': challenge },
  );
}

async function read(
  def: PersonalityDef,
  router: FhirRouter,
  repo: MemoryRepository,
  grant: TokenGrant,
  type: string,
  id: string,
  res: ServerResponse,
): Promise<void> {
  const access = checkAccess(grant, type, 'read');
  if (!access.ok) {
    return sendReply(res, def.error(access.kind, access.message));
  }
  const path = `/${type}/${id}`;
  const [result, resource] = await router.handleRequest(
    { method: 'GET', url: path, pathname: '', params: {}, query: {}, body: undefined },
    repo,
  );
  if (!isOk(result) || !resource) {
    return sendReply(res, def.error('not-found', `${type}/${id} is not known`));
  }
  if (!inCompartment(resource, access.compartmentPatient) || !access.allow(resource)) {
    return sendReply(
      res,
      def.error('forbidden', 'The resource is outside the launch context or the granted scopes'),
    );
  }
  sendResource(res, getStatus(result), decorate(def, resource));
}

export function createFhirHandler(opts: FhirHandlerOptions): FhirHandler {
  const base = opts.baseUrl.replace(/\/+$/, '');
  const def = personalityDef(opts.personality);
  const router = new FhirRouter();
  const pages = new PageStore();
  const faults = new FaultInjector();
  const capabilityDate = new Date().toISOString();
  let index: Promise<RepoIndex> | undefined;

  const handle = async (req: IncomingMessage, res: ServerResponse, subPath: string): Promise<void> => {
    const url = new URL(subPath.startsWith('/') ? subPath : `/${subPath}`, 'http://sandbox.invalid');
    const segments = url.pathname.split('/').filter(Boolean);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendReply(res, {
        status: 405,
        headers: { allow: 'GET' },
        body: outcome('not-supported', 'The sandbox FHIR API is read-only'),
      });
    }
    if (segments.length === 1 && segments[0] === 'metadata') {
      return sendResource(res, 200, capabilityStatement(base, def, opts.oauth, capabilityDate));
    }
    const token = bearerToken(req);
    if (!token) {
      return unauthorized(res);
    }
    const grant = await opts.validateToken(token);
    if (!grant || grant.aud.replace(/\/+$/, '') !== base) {
      return unauthorized(res, 'invalid_token');
    }
    const [type, id, ...rest] = segments;
    const fault = faults.decide(grant, type);
    if (fault.delayMs > 0) {
      await sleep(fault.delayMs);
    }
    switch (fault.kind) {
      case 'revoked':
        return unauthorized(res, 'invalid_token');
      case 'status-429':
        return sendResource(res, 429, outcome('bad-request', 'Too many requests'), {
          'retry-after': String(fault.retryAfterSeconds),
        });
      case 'status-500':
        return sendResource(res, 500, {
          resourceType: 'OperationOutcome',
          issue: [{ severity: 'fatal', code: 'exception', diagnostics: 'Injected server error' }],
        });
      case 'timeout':
        // Never answer: the client has to give up on its own.
        return;
      case 'none':
      case 'foreign-subject':
      case 'bare-entry':
        break;
      default: {
        const unreachable: never = fault;
        return unreachable;
      }
    }
    if (
      rest.length > 0 ||
      (type !== undefined && !RESOURCE_TYPE.test(type)) ||
      (id !== undefined && !ID.test(id))
    ) {
      return sendReply(res, def.error('not-found', 'Unknown path'));
    }
    index ??= indexRepository(opts.repo);
    const repoIndex = await index;
    if (type !== undefined && !repoIndex.isKnownType(type)) {
      return sendReply(res, def.error('not-found', `Unknown resource type ${type}`));
    }
    if (type !== undefined && id !== undefined) {
      return read(def, router, opts.repo, grant, type, id, res);
    }
    const reply = handleSearch(
      { base, def, index: repoIndex, pages },
      grant,
      type,
      url.searchParams,
      `${base}${subPath}`,
    );
    if (reply.kind !== 'bundle') return sendReply(res, reply.reply);
    const bundle =
      fault.kind === 'foreign-subject'
        ? withForeignEntries(reply.bundle, fault.every)
        : fault.kind === 'bare-entry'
          ? withBareEntries(reply.bundle, fault.every)
          : reply.bundle;
    return sendResource(res, 200, bundle);
  };

  return async (req, res, subPath) => {
    try {
      await handle(req, res, subPath);
    } catch (err) {
      // Internal details stay in the process log; the client gets a generic outcome.
      console.error('sandbox-fhir: internal error', err instanceof Error ? err.message : 'unknown');
      if (!res.headersSent) {
        sendResource(res, 500, outcome('not-supported', 'Internal error in the sandbox FHIR server'));
      }
    }
  };
}

/** The `bare-entry` fault: every `every`-th entry is its resource alone, without the entry around it. */
function withBareEntries(bundle: Bundle, every: number): Bundle {
  const entry = (bundle.entry ?? []).map((e, i) =>
    e.resource && i % every === every - 1 ? (e.resource as unknown as BundleEntry) : e,
  );
  return { ...bundle, entry };
}

/** The `foreign-subject` fault: after every `every`-th entry, a copy of it naming another patient. */
function withForeignEntries(bundle: Bundle, every: number): Bundle {
  const entry = (bundle.entry ?? []).flatMap((e, i) => {
    const r: (Resource & { subject?: Reference }) | undefined = e.resource;
    if (!r?.subject || i % every !== every - 1) return [e];
    const id = `${r.id ?? ''}-other`;
    const copy = { ...r, id, subject: { reference: 'Patient/sbx-other-patient' } } as Resource;
    return [e, { ...e, ...(e.fullUrl ? { fullUrl: e.fullUrl.replace(/[^/]+$/, id) } : {}), resource: copy }];
  });
  return { ...bundle, entry };
}
