/** Searches and their pages, in the personality's shape. */
import type { Bundle, BundleLink, Resource } from '@medplum/fhirtypes';
import type { TokenGrant } from '../contract';
import { checkAccess } from './access';
import type { PageStore, StoredSearch } from './page-store';
import { countParam } from './personalities/common';
import type { ErrorReply, PagingRequest, PersonalityDef } from './personalities/types';
import type { RepoIndex } from './repo-index';
import { SearchError, planSearch, runSearch } from './search';

export interface SearchContext {
  readonly base: string;
  readonly def: PersonalityDef;
  readonly index: RepoIndex;
  readonly pages: PageStore;
}

export type SearchReply =
  | { readonly kind: 'bundle'; readonly bundle: Bundle }
  | { readonly kind: 'error'; readonly reply: ErrorReply };

const PAGING_PARAMS = [
  '_getpages',
  '_getpagesoffset',
  '_bundletype',
  'sessionID',
  '-pageContext',
  '-pageDirection',
  'cursor',
  'page',
];

/** Results are cached per client, patient context and scopes: never shared across grants. */
export function ownerOf(grant: TokenGrant): string {
  return JSON.stringify([grant.clientId, grant.patient ?? '', grant.user ?? '', [...grant.scopes].sort()]);
}

function withoutPaging(query: URLSearchParams): URLSearchParams {
  const copy = new URLSearchParams(query);
  for (const name of PAGING_PARAMS) {
    copy.delete(name);
  }
  return copy;
}

export function decorate(def: PersonalityDef, resource: Resource): Resource {
  return resource.resourceType === 'Patient' ? def.decoratePatient(resource) : resource;
}

function fresh(
  ctx: SearchContext,
  grant: TokenGrant,
  resourceType: string,
  query: URLSearchParams,
): StoredSearch | ErrorReply {
  const access = checkAccess(grant, resourceType, 'search');
  if (!access.ok) {
    return ctx.def.error(access.kind, access.message);
  }
  if (query.has('_sort') && !ctx.def.sorts) {
    return ctx.def.error('bad-request', 'The _sort parameter is not supported');
  }
  const refused = ctx.def.checkSearch(resourceType, query);
  if (refused) {
    return refused;
  }
  let plan;
  try {
    plan = planSearch(resourceType, query);
  } catch (err) {
    if (err instanceof SearchError) {
      return ctx.def.error('bad-request', err.message);
    }
    throw err;
  }
  let allow = access.allow;
  const patient = access.compartmentPatient;
  if (patient !== undefined) {
    if (resourceType === 'Patient') {
      allow = (r): boolean => r.id === patient && access.allow(r);
    } else if (plan.patientIds && plan.patientIds.some((id) => id !== patient)) {
      return ctx.def.error('forbidden', 'The search names a patient outside the launch context');
    } else {
      plan = { ...plan, patientIds: [patient] };
    }
  }
  const filtered = ctx.def.filterResults(resourceType, runSearch(ctx.index, plan, allow));
  return ctx.pages.save(ownerOf(grant), resourceType, query, filtered.results, filtered.outcome);
}

function render(
  ctx: SearchContext,
  stored: StoredSearch,
  offset: number,
  pageSize: number,
  selfUrl: string,
): Bundle {
  const size = Math.max(1, pageSize);
  const slice = stored.results.slice(offset, offset + size);
  const link: BundleLink[] = [{ relation: 'self', url: selfUrl }];
  const next = stored.results[offset + size];
  if (next?.id) {
    link.push({
      relation: 'next',
      url: ctx.def.nextLink({
        base: ctx.base,
        resourceType: stored.resourceType,
        query: stored.query,
        searchId: stored.id,
        nextOffset: offset + size,
        pageSize: size,
        nextResourceId: next.id,
      }),
    });
  }
  const total = ctx.def.total(stored.resourceType, stored.results.length, slice.length);
  const bundle: Bundle = {
    resourceType: 'Bundle',
    type: 'searchset',
    ...(total !== undefined ? { total } : {}),
    link,
    entry: slice.map((r) =>
      ctx.def.entry(decorate(ctx.def, r), `${ctx.base}/${r.resourceType}/${r.id ?? ''}`),
    ),
  };
  return ctx.def.finishBundle(bundle, stored.resourceType, stored.outcome);
}

/** A search (`resourceType` set) or a page of an earlier one, answered as a searchset Bundle or an error. */
export function handleSearch(
  ctx: SearchContext,
  grant: TokenGrant,
  resourceType: string | undefined,
  query: URLSearchParams,
  selfUrl: string,
): SearchReply {
  const paging: PagingRequest | undefined = ctx.def.readPaging(query);
  const requestedCount = countParam(query.get('_count'));
  if (paging?.kind === 'stored') {
    const stored = ctx.pages.get(paging.searchId, ownerOf(grant));
    if (!stored || (resourceType !== undefined && stored.resourceType !== resourceType)) {
      return {
        kind: 'error',
        reply: ctx.def.error('gone', 'The search has expired or belongs to another session; search again'),
      };
    }
    const pageSize = ctx.def.pageSize(paging.count ?? countParam(stored.query.get('_count')), false);
    return { kind: 'bundle', bundle: render(ctx, stored, paging.offset, pageSize, selfUrl) };
  }
  if (resourceType === undefined) {
    return { kind: 'error', reply: ctx.def.error('bad-request', 'A search needs a resource type') };
  }
  const original = withoutPaging(query);
  const stored =
    (paging ? ctx.pages.find(ownerOf(grant), resourceType, original) : undefined) ??
    fresh(ctx, grant, resourceType, original);
  if (!('results' in stored)) {
    return { kind: 'error', reply: stored };
  }
  if (!paging) {
    return {
      kind: 'bundle',
      bundle: render(ctx, stored, 0, ctx.def.pageSize(requestedCount, true), selfUrl),
    };
  }
  const pageSize = ctx.def.pageSize(requestedCount, false);
  let offset = 0;
  if (paging.cursor !== undefined) {
    offset = stored.results.findIndex((r) => r.id === paging.cursor);
    if (offset < 0) {
      return { kind: 'error', reply: ctx.def.error('bad-request', 'Unknown cursor') };
    }
  } else if (paging.page !== undefined) {
    offset = (paging.page - 1) * pageSize;
  }
  return { kind: 'bundle', bundle: render(ctx, stored, offset, pageSize, selfUrl) };
}
