import 'server-only';
import { createHash } from 'node:crypto';
import type { Condition, Observation, Patient, Resource } from '@medplum/fhirtypes';
import { summarizePatient } from '../chart/patient';
import type { ChartPeriod, ChartRange, ChartWarning, PatientSummary } from '../chart/types';
import { isReportable } from '../chart/vitals';
import { FhirRequestError, outcomeInsteadOfData } from './errors';
import { fhirGet, type FhirResponse } from './http';
import { dedupeWarnings } from './outcome';
import {
  isoDay,
  newestResultTime,
  oldestResultTime,
  readNewestFirst,
  resultTime,
  type Span,
} from './newest-first';
import { relativeToBase, requestOptions, searchAll, type PagedSearch, type SearchPlan } from './paging';
import type { FhirContext, SearchResult } from './types';
import {
  causeOfDeathSearch,
  conditionSearch,
  isNotOffered,
  mrnRules,
  smokingStatusSearches,
  type ObservationCategory,
} from './vendors';

/**
 * The launch's Patient, read once for all the chart's panels: the banner shows it, and every panel needs the
 * patient's age, sex or death (reference ranges, bands, the end of a deceased patient's record). Loading a chart
 * asks for five panels at once; without this the EHR would be asked for the same Patient five times, each an audit
 * record of its own. A read is shared by the requests of one launch made with the same access token (until it is
 * refreshed) for PATIENT_READ_MS, in this process only; a failed read is not kept. Open servers (no token) are always
 * read.
 */
export class PatientReads {
  private readonly reads = new Map<string, { readonly at: number; readonly answer: Promise<FhirResponse> }>();

  constructor(
    private readonly ttlMs: number = PATIENT_READ_MS,
    private readonly clock: () => number = () => performance.now(),
    private readonly maxEntries: number = 500,
  ) {}

  /** Reads held now (each at most PATIENT_READ_MS). */
  get size(): number {
    return this.reads.size;
  }

  /** The answer for this launch's Patient, and whether this call asked the EHR for it (then it is recorded). */
  async read(ctx: FhirContext, url: string): Promise<{ res: FhirResponse; asked: boolean }> {
    if (ctx.accessToken === undefined) return { res: await fhirGet(url, requestOptions(ctx)), asked: true };
    const key = createHash('sha256')
      .update(`${ctx.launchId ?? ''}\n${ctx.accessToken}\n${url}`)
      .digest('base64url');
    const now = this.clock();
    const held = this.reads.get(key);
    if (held && now - held.at < this.ttlMs) return { res: await held.answer, asked: false };
    // Shared: one request's cancelled page must not cancel the others' read (the EHR timeout still bounds it).
    const answer = fhirGet(url, requestOptions({ ...ctx, signal: undefined }));
    this.forgetOld(now);
    this.reads.set(key, { at: now, answer });
    const forget = () => {
      if (this.reads.get(key)?.answer === answer) this.reads.delete(key);
    };
    answer.catch(forget);
    // The patient's record is not kept past its use, whether or not another read comes.
    setTimeout(forget, this.ttlMs).unref();
    return { res: await answer, asked: true };
  }

  private forgetOld(now: number): void {
    if (this.reads.size < this.maxEntries) return;
    for (const [k, v] of this.reads) if (now - v.at >= this.ttlMs) this.reads.delete(k);
    // Still full: the oldest go first (a Map keeps insertion order).
    for (const k of this.reads.keys()) {
      if (this.reads.size < this.maxEntries) break;
      this.reads.delete(k);
    }
  }
}

/** Long enough for a chart's panels and a change of range; short enough that the banner is never stale for long. */
export const PATIENT_READ_MS = 30_000;
const PATIENT_READS = new PatientReads();

/**
 * A record the EHR marks as replaced by another (a merged duplicate, `link.type = replaced-by`): what the launch
 * opened is shown, with word that the patient's current record is another one, so nothing charted there is
 * taken for absent.
 */
function replacedWarning(p: Patient): ChartWarning[] {
  const replaced = (p.link ?? []).some(
    (l) => typeof l === 'object' && l !== null && l.type === 'replaced-by',
  );
  return replaced
    ? [
        {
          resourceType: 'Patient',
          kind: 'withheld',
          message:
            'The EHR marks this patient record as replaced by another (merged): results charted on the current record are not shown here. Open the current record from the EHR.',
        },
      ]
    : [];
}

/**
 * Reads the launch's patient and summarises it. Throws FhirRequestError. `queries` names the read only when this
 * call asked the EHR: a shared read is recorded once, by the request that made it.
 */
export async function fetchPatient(
  ctx: FhirContext,
  now: Date = new Date(),
  reads: PatientReads = PATIENT_READS,
): Promise<{ patient: PatientSummary; warnings: ChartWarning[]; queries: string[] }> {
  const query = `Patient/${encodeURIComponent(ctx.patientId)}`;
  const { res, asked } = await reads.read(ctx, `${ctx.server.fhirBaseUrl}/${query}`);
  const body = res.body as Partial<Patient> | null;
  if (typeof body !== 'object' || body === null || body.resourceType !== 'Patient') {
    throw (
      outcomeInsteadOfData(body, res.status) ??
      new FhirRequestError({ kind: 'malformed', status: res.status })
    );
  }
  // Showing another patient's record under this launch would be the worst failure: a Patient that does not say
  // it is the launch's (another id, or none) is not shown as it.
  if (body.id !== ctx.patientId) {
    throw new FhirRequestError(
      { kind: 'malformed', status: res.status },
      { cause: new Error('Patient id mismatch') },
    );
  }
  const rules = mrnRules(ctx.server.vendor, ctx.server.mrn);
  return {
    patient: summarizePatient(body as Patient, rules, now),
    warnings: replacedWarning(body as Patient),
    queries: asked ? [query] : [],
  };
}

/** First day of the range as an ISO date, undefined for "all". */
export function rangeStart(range: ChartRange, now: Date): string | undefined {
  const years = range === '1y' ? 1 : range === '5y' ? 5 : undefined;
  if (years === undefined) return undefined;
  const d = new Date(Date.UTC(now.getUTCFullYear() - years, now.getUTCMonth(), now.getUTCDate()));
  return d.toISOString().slice(0, 10);
}

export interface ObservationsResult extends SearchResult<Observation> {
  readonly period: ChartPeriod;
}

/** The range ending at `end` (an instant), or today when `end` is undefined. */
function spanFor(range: ChartRange, now: Date, end: string | undefined): Span {
  if (end === undefined) return { since: rangeStart(range, now) };
  const last = Date.parse(end);
  return { since: rangeStart(range, new Date(last)), before: isoDay(last + 86_400_000) };
}

/**
 * A category's Observations over the range, newest first (see newest-first.ts).
 * The range ends at the last data, not today, for a deceased patient, and
 * whenever it would hold nothing: the chart then shows the most recent results
 * (their dates say how old they are) rather than an empty panel.
 */
export async function fetchObservations(
  ctx: FhirContext,
  category: ObservationCategory,
  range: ChartRange,
  now: Date = new Date(),
  patient: { readonly deceased?: boolean } = {},
): Promise<ObservationsResult> {
  const queries: string[] = [];
  let endsAt: ChartPeriod['endsAtLastData'];
  if (patient.deceased) {
    const newest = await newestResultTime(ctx, category, undefined, now);
    queries.push(...newest.queries);
    if (newest.time) endsAt = { at: newest.time, reason: 'deceased' };
  }
  let span = spanFor(range, now, endsAt?.at);
  // A range that ends at the last data says where the record starts: asked for beside the range's own read.
  let oldest: ReturnType<typeof oldestResultTime> | undefined;
  const askOldest = () => {
    if (!endsAt || span.since === undefined || oldest) return;
    oldest = oldestResultTime(ctx, category);
    // Awaited below; should the reading between throw, this answer is not left unhandled.
    oldest.catch(() => undefined);
  };
  askOldest();
  let read = await readNewestFirst(ctx, category, span, now);
  if (!read.error && span.since !== undefined && !read.resources.some(isReportable)) {
    const newest = await newestResultTime(ctx, category, span.since, now);
    queries.push(...newest.queries);
    if (newest.time) {
      queries.push(...read.queries);
      endsAt = { at: newest.time, reason: endsAt?.reason ?? 'nothing-recent' };
      span = spanFor(range, now, newest.time);
      askOldest();
      read = await readNewestFirst(ctx, category, span, now);
    }
  }
  const tag: SearchPlan = { resourceType: 'Observation', category, params: [] };
  const result = collect<Observation>(ctx, [tag], [{ ...read, queries: [...queries, ...read.queries] }]);
  let recordStart: string | undefined;
  if (read.error === undefined && span.since === undefined && read.notLoadedBefore === undefined) {
    recordStart = oldestOf(read.resources);
  } else if (endsAt) {
    const first = await (oldest ?? oldestResultTime(ctx, category));
    result.queries.push(...first.queries);
    recordStart = first.time;
  }
  return {
    ...result,
    period: {
      ...(span.since ? { start: span.since } : {}),
      ...(endsAt ? { endsAtLastData: endsAt } : {}),
      ...(recordStart ? { recordStart } : {}),
      ...(read.notLoadedBefore ? { notLoadedBefore: read.notLoadedBefore } : {}),
    },
  };
}

/**
 * A context whose reads can be stopped, and which notes every request it sends: a stopped read may end in an error
 * that names nothing, and the audit record still names what the EHR was asked.
 */
export function stoppableReads(ctx: FhirContext): {
  readonly ctx: FhirContext;
  stop(): void;
  asked(): string[];
} {
  const controller = new AbortController();
  const sent = new Set<string>();
  const send = ctx.fetch ?? fetch;
  const base = ctx.server.fhirBaseUrl;
  const noting = ((input: RequestInfo | URL, init?: RequestInit) => {
    sent.add(relativeToBase(base, input instanceof Request ? input.url : String(input)));
    return send(input, init);
  }) as typeof fetch;
  return {
    ctx: {
      ...ctx,
      signal: ctx.signal ? AbortSignal.any([ctx.signal, controller.signal]) : controller.signal,
      fetch: noting,
    },
    stop: () => controller.abort(),
    asked: () => [...sent],
  };
}

function oldestOf(resources: readonly Observation[]): string | undefined {
  const times = resources.map(resultTime).filter((t): t is string => t !== undefined);
  return times.length === 0 ? undefined : times.reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a));
}

export async function fetchConditions(ctx: FhirContext): Promise<SearchResult<Condition>> {
  const plan = conditionSearch(ctx.server.vendor, {
    patientId: ctx.patientId,
    pageSize: ctx.server.pageSize,
  });
  return runPlans<Condition>(ctx, [plan]);
}

/** The patient's smoking status, every time it was recorded. */
export async function fetchSmokingStatus(ctx: FhirContext): Promise<SearchResult<Observation>> {
  const plans = smokingStatusSearches(ctx.server.vendor, {
    patientId: ctx.patientId,
    pageSize: ctx.server.pageSize,
  });
  return runPlans<Observation>(ctx, plans);
}

/**
 * A deceased patient's cause of death, as the death certificate recorded it. It never fails the banner: an EHR that
 * refuses the search has none to show, and one that fails leaves a warning. The queries are kept either way, for the
 * audit record.
 */
export async function fetchCauseOfDeath(ctx: FhirContext): Promise<SearchResult<Observation>> {
  const plan = causeOfDeathSearch(ctx.server.vendor, {
    patientId: ctx.patientId,
    pageSize: ctx.server.pageSize,
  });
  const r = await searchAll<Observation>(ctx, plan);
  if (!r.error) return { resources: r.resources, warnings: r.warnings, queries: r.queries };
  if (isNotOffered(ctx.server.vendor, r.error, plan))
    return { resources: [], warnings: [], queries: r.queries };
  const message = `The cause of death could not be read: ${r.error.userMessage}`;
  return {
    resources: [],
    warnings: [...r.warnings, { resourceType: 'Observation', category: 'exam', kind: 'failed', message }],
    queries: r.queries,
  };
}

/**
 * Runs the planned searches in parallel. A search the EHR does not offer
 * becomes a `not-offered` warning, a failed one a `failed` warning, and the
 * others still return. Only when every search failed is the first error
 * thrown, so the route answers with an error (e.g. session expired) instead of
 * an empty chart.
 */
async function runPlans<T extends Resource>(
  ctx: FhirContext,
  plans: readonly SearchPlan[],
): Promise<SearchResult<T>> {
  const results = await Promise.all(plans.map((plan) => searchAll<T>(ctx, plan)));
  return collect(ctx, plans, results);
}

/** Merges the searches' answers: duplicates dropped, refusals and failures as warnings. */
function collect<T extends Resource>(
  ctx: FhirContext,
  plans: readonly SearchPlan[],
  results: readonly PagedSearch<T>[],
): SearchResult<T> {
  const resources: T[] = [];
  const warnings: ChartWarning[] = [];
  const queries: string[] = [];
  const seen = new Set<string>();
  const errors: FhirRequestError[] = [];
  results.forEach((r, i) => {
    const plan = plans[i] as SearchPlan;
    queries.push(...r.queries);
    warnings.push(...r.warnings);
    if (r.error) {
      const tag = { resourceType: plan.resourceType, ...(plan.category ? { category: plan.category } : {}) };
      if (isNotOffered(ctx.server.vendor, r.error, plan)) {
        if (plan.alsoFiled) return;
        warnings.push({
          ...tag,
          kind: 'not-offered',
          message: `This EHR does not offer ${plan.category ?? plan.resourceType} results to the app.`,
        });
      } else {
        errors.push(r.error);
        warnings.push({ ...tag, kind: 'failed', message: r.error.userMessage });
      }
      return;
    }
    for (const res of r.resources) {
      // Category searches can overlap (an Observation in two categories).
      const key = res.id ?? '';
      if (key && seen.has(key)) continue;
      if (key) seen.add(key);
      resources.push(res);
    }
  });
  const first = errors[0];
  if (first && errors.length === plans.length) throw first;
  return { resources, warnings: dedupeWarnings(warnings), queries };
}
