import 'server-only';
import type { Observation, Resource } from '@medplum/fhirtypes';
import { chartFieldsSharing } from '../chart/chart-fields';
import type { ChartWarning } from '../chart/types';
import { nextLink, parseSearchPage, splitEntries } from './bundle';
import { FhirRequestError, isFhirRequestError } from './errors';
import type { FhirGetOptions } from './http';
import { PageAhead, sameOrigin } from './page-ahead';
import { dedupeWarnings, warningsFromOutcome } from './outcome';
import { anotherPatientTest } from './same-patient';
import type { FhirContext } from './types';

export const DEFAULT_PAGE_CAP = 50;

/**
 * Whether a search may read more pages. A number is a cap of the search's own; a gate lets searches that run at the
 * same time share one (the date windows of newest-first.ts).
 */
export interface PageGate {
  /** Room for `n` more pages. */
  allows(n: number): boolean;
  /** Counts a page about to be read. */
  take(): void;
}

function capGate(cap: number): PageGate {
  let read = 0;
  return {
    allows: (n) => read + n <= cap,
    take: () => void read++,
  };
}

/** One search the adapter planned: `<resourceType>?<params>`. */
export interface SearchPlan {
  readonly resourceType: 'Observation' | 'Condition';
  readonly params: readonly (readonly [string, string])[];
  /** Category this search stands for, reported on its warnings. */
  readonly category?: string;
  /** A second place the same results may be filed: an EHR that does not offer it has none there, and says nothing. */
  readonly alsoFiled?: true;
}

export interface PagedSearch<T extends Resource> {
  readonly resources: T[];
  readonly warnings: ChartWarning[];
  /** Every URL requested, relative to the FHIR base (no tokens: those travel in headers). */
  readonly queries: string[];
  /** Set when the first page failed: nothing was read. */
  readonly error?: FhirRequestError;
  /** The page cap stopped the reading while the server still had pages. */
  readonly truncated?: boolean;
}

export function searchUrl(base: string, plan: SearchPlan): string {
  const qs = new URLSearchParams(plan.params.map(([k, v]) => [k, v])).toString();
  return `${base}/${plan.resourceType}?${qs}`;
}

/** A URL as the audit record shows it: relative to the FHIR base when inside it. */
export function relativeToBase(base: string, url: string): string {
  if (url.startsWith(`${base}/`)) return url.slice(base.length + 1);
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
}

export function requestOptions(ctx: FhirContext): FhirGetOptions {
  const s = ctx.server;
  return {
    fhirBaseUrl: s.fhirBaseUrl,
    accessToken: ctx.accessToken,
    signal: ctx.signal,
    fetch: ctx.fetch,
    timeoutMs: s.timeoutMs,
    retries: s.retries,
    maxConcurrency: s.maxConcurrency,
  };
}

/**
 * Runs one search and follows `next` links verbatim (servers encode their
 * paging state in them: Epic sessionID, HAPI _getpages, athena cursor, Cerner
 * -pageContext, NextGen page with a changed path case). A link to another
 * origin is refused, because the bearer token would go with it.
 *
 * Bundle.total is never used: Epic reports the page count there. Reading stops
 * at `pageCap` pages with a `truncated` warning. When a later page fails, the
 * pages already read are returned with a `failed` warning saying the list is
 * partial; when the first page fails, `error` is set and nothing is returned.
 */
export async function searchAll<T extends Resource>(
  ctx: FhirContext,
  plan: SearchPlan,
  extra: Partial<FhirGetOptions> = {},
  /** Pages this search may read, when less than the registration's cap, or a gate it shares with other searches. */
  pageBudget?: number | PageGate,
): Promise<PagedSearch<T>> {
  const base = ctx.server.fhirBaseUrl;
  const origin = new URL(base).origin;
  const gate =
    typeof pageBudget === 'object'
      ? pageBudget
      : capGate(Math.max(1, pageBudget ?? ctx.server.pageCap ?? DEFAULT_PAGE_CAP));
  const opts = { ...requestOptions(ctx), ...extra };
  const byId = new Map<string, T>();
  const noId: T[] = [];
  const warnings: ChartWarning[] = [];
  const queries: string[] = [];
  const seenUrls = new Set<string>();
  const tag = { resourceType: plan.resourceType, ...(plan.category ? { category: plan.category } : {}) };
  // Observations are cut down to what the chart reads as each page arrives: a page is never held beyond its turn,
  // and the codes the pages repeat are held once.
  const cut = chartFieldsSharing(new Map());
  const slim = (r: T): T => (plan.resourceType === 'Observation' ? (cut(r as Observation) as T) : r);

  let url: string | undefined = searchUrl(base, plan);
  let pages = 0;
  let truncated = false;
  let foreign = 0;
  let unreadable = 0;
  const ofAnotherPatient = anotherPatientTest(ctx.patientId);
  const ahead = new PageAhead(opts, origin);
  try {
    while (url !== undefined) {
      if (!gate.allows(1)) {
        // The server's order is unknown here, so nothing can be said about which entries are missing.
        warnings.push({
          ...tag,
          kind: 'truncated',
          message: `Only the first ${pages} pages of results were read; the list may be incomplete.`,
        });
        truncated = true;
        break;
      }
      gate.take();
      queries.push(relativeToBase(base, url));
      seenUrls.add(url);
      try {
        // The page after this one is asked for as soon as this one's text arrives, unless it would be past the cap.
        const res = await ahead.read(url, gate.allows(1) ? seenUrls : undefined);
        const { bundle, unreadable: notResources } = parseSearchPage(res.body);
        unreadable += notResources;
        const { matches, outcomes } = splitEntries<T>(bundle, plan.resourceType);
        for (const r of matches) {
          if (ofAnotherPatient(r)) {
            foreign++;
            continue;
          }
          if (r.id === undefined) noId.push(slim(r));
          // The same id on a later page is the newer read of that resource.
          else byId.set(r.id, slim(r));
        }
        for (const o of outcomes) warnings.push(...warningsFromOutcome(o, plan.resourceType, plan.category));
        const next = nextLink(bundle);
        if (next !== undefined && !sameOrigin(next, origin)) {
          throw new FhirRequestError(
            { kind: 'refused' },
            { cause: new Error('next link points to another origin') },
          );
        }
        // A server that hands back a link already read would loop forever.
        url = next !== undefined && !seenUrls.has(next) ? next : undefined;
        pages++;
      } catch (e) {
        const error = isFhirRequestError(e) ? e : new FhirRequestError({ kind: 'malformed' }, { cause: e });
        if (pages === 0 && error.kind !== 'refused')
          return { resources: [], warnings: dedupeWarnings(warnings), queries, error };
        warnings.push({
          ...tag,
          kind: 'failed',
          message: `Some results could not be loaded: ${error.userMessage} The list shown is partial.`,
        });
        break;
      }
    }
  } finally {
    ahead.cancel();
  }
  if (foreign > 0)
    warnings.push({
      ...tag,
      kind: 'another-patient',
      message: `The EHR answered with ${foreign === 1 ? 'a result' : `${foreign} results`} for another patient; ${foreign === 1 ? 'it is' : 'they are'} not shown.`,
    });
  if (unreadable > 0)
    warnings.push({
      ...tag,
      kind: 'unreadable',
      message: `The EHR’s answer held ${unreadable === 1 ? 'an entry' : `${unreadable} entries`} without a FHIR resource; ${unreadable === 1 ? 'it is' : 'they are'} not shown, so the list may be incomplete.`,
    });
  return {
    resources: [...byId.values(), ...noId],
    warnings: dedupeWarnings(warnings),
    queries,
    ...(truncated ? { truncated } : {}),
  };
}
