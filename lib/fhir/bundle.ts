import type { Bundle, BundleEntry, OperationOutcome, Resource } from '@medplum/fhirtypes';
import { FhirRequestError, outcomeInsteadOfData } from './errors';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isResource(v: unknown): v is Resource {
  return isObject(v) && typeof v.resourceType === 'string';
}

/** A searchset page, with the count of its entries that held no resource (left out, and to be said so). */
export interface SearchPage {
  readonly bundle: Bundle;
  readonly unreadable: number;
}

/**
 * Checks that a page is a searchset Bundle before anything reads it. An entry without a resource (a searchset
 * entry must hold one; vendor documentation shows resources written bare in `entry`) is left out and counted,
 * so that the chart can say something was left out; anything else malformed fails the search with a typed error.
 */
export function parseSearchPage(body: unknown): SearchPage {
  if (!isObject(body) || body.resourceType !== 'Bundle') {
    throw (
      outcomeInsteadOfData(body, 200) ??
      new FhirRequestError({ kind: 'malformed' }, { cause: new Error('not a Bundle') })
    );
  }
  if (body.type !== 'searchset') {
    throw new FhirRequestError({ kind: 'malformed' }, { cause: new Error('Bundle.type is not searchset') });
  }
  const { entry, link } = body;
  if (entry !== undefined && !Array.isArray(entry)) {
    throw new FhirRequestError({ kind: 'malformed' }, { cause: new Error('Bundle.entry is not an array') });
  }
  if (link !== undefined && !Array.isArray(link)) {
    throw new FhirRequestError({ kind: 'malformed' }, { cause: new Error('Bundle.link is not an array') });
  }
  const all = (entry ?? []) as unknown[];
  const entries = all.filter((e): e is BundleEntry => isObject(e) && isResource(e.resource));
  return {
    bundle: { ...(body as unknown as Bundle), entry: entries },
    unreadable: all.length - entries.length,
  };
}

/** The `next` link exactly as the server wrote it. */
export function nextLink(bundle: Bundle): string | undefined {
  const url = bundle.link?.find((l) => l.relation === 'next')?.url;
  return typeof url === 'string' && url.length > 0 ? url : undefined;
}

const NEXT_LINK = [
  /\{\s*"relation"\s*:\s*"next"\s*,\s*"url"\s*:\s*("(?:[^"\\]|\\.)*")\s*\}/,
  /\{\s*"url"\s*:\s*("(?:[^"\\]|\\.)*")\s*,\s*"relation"\s*:\s*"next"\s*\}/,
];

/**
 * The `next` link as it appears in a page's raw text before the first entry,
 * where every EHR we know writes Bundle.link; undefined when it is not found
 * there. Only a hint, to ask for the next page early: the parsed Bundle's own
 * link decides which page is read.
 */
export function nextLinkHint(text: string): string | undefined {
  const entries = text.indexOf('"entry"');
  const head = entries < 0 ? text : text.slice(0, entries);
  for (const re of NEXT_LINK) {
    const m = re.exec(head);
    if (!m?.[1]) continue;
    try {
      const url = JSON.parse(m[1]) as string;
      return url.length > 0 ? url : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export interface SplitEntries<T extends Resource> {
  readonly matches: T[];
  readonly outcomes: OperationOutcome[];
}

/**
 * Separates the searched resources from OperationOutcomes (search.mode
 * outcome, or any OperationOutcome at all) and from `_include`d extras.
 */
export function splitEntries<T extends Resource>(
  bundle: Bundle,
  resourceType: T['resourceType'],
): SplitEntries<T> {
  const matches: T[] = [];
  const outcomes: OperationOutcome[] = [];
  for (const e of bundle.entry ?? []) {
    const r = e.resource;
    if (!r) continue;
    if (r.resourceType === 'OperationOutcome') outcomes.push(r);
    else if (e.search?.mode === 'outcome' || e.search?.mode === 'include') continue;
    else if (r.resourceType === resourceType) matches.push(r as T);
  }
  return { matches, outcomes };
}
