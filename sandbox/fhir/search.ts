/**
 * The sandbox's search engine: filters, sorts and returns every match (paging is
 * the personality's business). Common parameters are evaluated directly; others
 * that Medplum knows fall back to its matcher on the already narrowed candidates.
 */
import { getSearchParameter, matchesSearchRequest, parseSearchRequest } from '@medplum/core';
import type { SearchRequest } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
import type { RepoIndex } from './repo-index';
import { PATIENT_PARAMS, RESULT_PARAMS, extractorFor } from './search-params';
import { dateMatches, normalizeText, parseDateSearch, tokenMatches } from './search-values';
import type { Extractor } from './search-values';

interface Clause {
  readonly test: (resource: Resource) => boolean;
}

interface SortRule {
  readonly extractor: Extractor;
  readonly descending: boolean;
}

export interface SearchPlan {
  readonly resourceType: string;
  /** Patients named by `patient`/`subject`; undefined when the search names none. */
  readonly patientIds?: readonly string[];
  readonly clauses: readonly Clause[];
  readonly sort: readonly SortRule[];
}

export class SearchError extends Error {}

/** `Patient/x`, `https://base/Patient/x` or `x` → `x`. */
export function patientIdOf(value: string): string {
  const match = /(?:^|\/)Patient\/([^/]+)$/.exec(value);
  return match?.[1] ?? value;
}

function clauseFor(resourceType: string, code: string, modifier: string | undefined, raw: string): Clause {
  const extractor = extractorFor(resourceType, code);
  const values = raw.split(',').filter((v) => v !== '');
  if (!extractor) {
    if (!getSearchParameter(resourceType, code)) {
      throw new SearchError(`Unknown search parameter "${code}" for resource type "${resourceType}"`);
    }
    const request: SearchRequest = parseSearchRequest(resourceType, {
      [modifier ? `${code}:${modifier}` : code]: raw,
    });
    return { test: (r) => matchesSearchRequest(r, request) };
  }
  switch (extractor.kind) {
    case 'token': {
      if (modifier !== undefined && modifier !== 'not' && modifier !== 'text') {
        throw new SearchError(`Unsupported modifier ":${modifier}" on "${code}"`);
      }
      const negate = modifier === 'not';
      const tokenModifier = modifier === 'text' ? 'text' : undefined;
      return {
        test: (r) =>
          extractor.get(r).some((t) => values.some((v) => tokenMatches(t, v, tokenModifier))) !== negate,
      };
    }
    case 'date': {
      const searches = values.map((v) => {
        const parsed = parseDateSearch(v);
        if (!parsed) {
          throw new SearchError(`Invalid date "${v}" for "${code}"`);
        }
        return parsed;
      });
      return {
        test: (r) =>
          extractor.get(r).some((range) => searches.some((s) => dateMatches(range, s.prefix, s.range))),
      };
    }
    case 'string': {
      const wanted = values.map(normalizeText);
      const test =
        modifier === 'exact'
          ? (actual: string, v: string): boolean => actual === v
          : modifier === 'contains'
            ? (actual: string, v: string): boolean => normalizeText(actual).includes(v)
            : (actual: string, v: string): boolean =>
                normalizeText(actual)
                  .split(/\s+/)
                  .some((word) => word.startsWith(v)) || normalizeText(actual).startsWith(v);
      const exactValues = values;
      return {
        test: (r) =>
          extractor.get(r).some((a) => (modifier === 'exact' ? exactValues : wanted).some((v) => test(a, v))),
      };
    }
    default: {
      const unreachable: never = extractor;
      return unreachable;
    }
  }
}

export function planSearch(resourceType: string, query: URLSearchParams): SearchPlan {
  const clauses: Clause[] = [];
  let patientIds: string[] | undefined;
  for (const [key, raw] of query) {
    const [code = '', modifier] = key.split(':');
    if (RESULT_PARAMS.has(code)) {
      continue;
    }
    if (PATIENT_PARAMS.has(code) && resourceType !== 'Patient') {
      const ids = raw.split(',').map(patientIdOf);
      patientIds = patientIds ? patientIds.filter((id) => ids.includes(id)) : ids;
      continue;
    }
    clauses.push(clauseFor(resourceType, code, modifier, raw));
  }
  const sort: SortRule[] = [];
  for (const item of (query.get('_sort') ?? '').split(',').filter(Boolean)) {
    const descending = item.startsWith('-');
    const code = descending ? item.slice(1) : item;
    const extractor = extractorFor(resourceType, code);
    if (!extractor) {
      throw new SearchError(`Unsupported sort parameter "${code}" for resource type "${resourceType}"`);
    }
    sort.push({ extractor, descending });
  }
  return { resourceType, ...(patientIds ? { patientIds } : {}), clauses, sort };
}

function sortKey(extractor: Extractor, resource: Resource): number | string | undefined {
  switch (extractor.kind) {
    case 'date': {
      const ranges = extractor.get(resource);
      return ranges.length ? Math.min(...ranges.map((r) => r[0])) : undefined;
    }
    case 'token':
      return extractor.get(resource)[0]?.code;
    case 'string': {
      const first = extractor.get(resource)[0];
      return first === undefined ? undefined : normalizeText(first);
    }
    default: {
      const unreachable: never = extractor;
      return unreachable;
    }
  }
}

function compare(a: number | string | undefined, b: number | string | undefined): number {
  if (a === b) {
    return 0;
  }
  // Resources without a value sort last in either direction.
  if (a === undefined) {
    return 1;
  }
  if (b === undefined) {
    return -1;
  }
  return a < b ? -1 : 1;
}

/** Every match, sorted; `allow` applies scope restrictions. Ties keep repository order. */
export function runSearch(index: RepoIndex, plan: SearchPlan, allow: (r: Resource) => boolean): Resource[] {
  const candidates = plan.patientIds
    ? [...new Set(plan.patientIds)].flatMap((id) => index.forPatient(id, plan.resourceType))
    : index.all(plan.resourceType);
  const matches = candidates.filter((r) => plan.clauses.every((c) => c.test(r)) && allow(r));
  if (plan.sort.length === 0) {
    return matches;
  }
  const keyed = matches.map((resource, position) => ({
    resource,
    position,
    keys: plan.sort.map((s) => sortKey(s.extractor, resource)),
  }));
  keyed.sort((a, b) => {
    for (let i = 0; i < plan.sort.length; i++) {
      const rule = plan.sort[i];
      const ka = a.keys[i];
      const kb = b.keys[i];
      if (ka === kb) {
        continue;
      }
      if (ka === undefined || kb === undefined) {
        return compare(ka, kb);
      }
      const order = compare(ka, kb);
      return rule?.descending ? -order : order;
    }
    return a.position - b.position;
  });
  return keyed.map((k) => k.resource);
}

/** Whether one resource satisfies a scope's query restriction (e.g. category=laboratory). */
export function matchesRestriction(resource: Resource, restriction: URLSearchParams): boolean {
  const plan = planSearch(resource.resourceType, restriction);
  return plan.clauses.every((c) => c.test(resource));
}
