import 'server-only';
import type { Observation } from '@medplum/fhirtypes';
import type { ChartWarning } from '../chart/types';
import { observationTime } from '../chart/vitals';
import { DEFAULT_PAGE_CAP, searchAll, type PageGate, type PagedSearch, type SearchPlan } from './paging';
import type { FhirContext } from './types';
import { observationSearch, sortsByDate, type ObservationCategory, type SearchInput } from './vendors';

/**
 * Reads a category's Observations newest first, so that whatever the page cap
 * leaves out is always the oldest part and "latest" is always the true latest.
 * Where the server honours `_sort=-date` one sorted search does it; elsewhere
 * the reading walks back in date windows (a month, two, four, …; from the
 * newest day when the month is too full to read whole) and a window is used
 * only when it was read whole. The rest of the span is asked for beside the
 * newest window as one page, and used when that page holds it all; otherwise,
 * once the newest window is in, the older ones are asked for at once. Looking
 * for the newest result of a record that ended long ago asks three windows at
 * a time.
 */

/** ISO dates: `since` inclusive, `before` exclusive; undefined = unbounded. */
export interface Span {
  readonly since?: string;
  readonly before?: string;
}

export interface NewestFirstSearch extends PagedSearch<Observation> {
  /** Results dated before this day were not read; everything from it on was. */
  readonly notLoadedBefore?: string;
}

const DAY_MS = 86_400_000;
const FIRST_WINDOW_DAYS = 30;
/** After this many days a window has no lower bound (the rest of the record). */
const LAST_BOUNDED_WINDOW_DAYS = 16_000;

export const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const dayMs = (day: string): number => Date.parse(`${day}T00:00:00Z`);

export function resultTime(o: Observation): string | undefined {
  return observationTime(o) ?? o.issued;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "12 Mar 2019": unambiguous in every locale. */
export function longDay(day: string): string {
  const [y, m, d] = day.split('-');
  return `${Number(d)} ${MONTHS[Number(m) - 1] ?? m} ${y}`;
}

function notLoadedWarning(
  category: ObservationCategory,
  day: string,
  why: 'cap' | 'failed' = 'cap',
): ChartWarning {
  return {
    resourceType: 'Observation',
    category,
    kind: why === 'cap' ? 'truncated' : 'failed',
    message:
      why === 'cap'
        ? `Results before ${longDay(day)} were not loaded: there are too many to read at once.`
        : `Results before ${longDay(day)} could not be loaded; later ones are shown.`,
  };
}

interface ReadOptions {
  readonly span: Span;
  readonly now: Date;
  /** Stop at the first window that holds anything (finding the newest result). */
  readonly firstDataOnly?: boolean;
  readonly pageSize?: number;
}

function plan(
  ctx: FhirContext,
  category: ObservationCategory,
  input: Omit<SearchInput, 'patientId'>,
): SearchPlan {
  return observationSearch(ctx.server.vendor, category, {
    patientId: ctx.patientId,
    pageSize: ctx.server.pageSize,
    ...input,
  });
}

/** One `_sort=-date` search; a cut keeps only whole days. */
async function readSorted(
  ctx: FhirContext,
  category: ObservationCategory,
  opts: ReadOptions,
): Promise<NewestFirstSearch> {
  const r = await searchAll<Observation>(
    ctx,
    plan(ctx, category, {
      ...opts.span,
      order: 'newest-first',
      pageSize: opts.pageSize ?? ctx.server.pageSize,
    }),
    {},
    opts.firstDataOnly ? 1 : undefined,
  );
  if (!r.truncated || opts.firstDataOnly)
    return { ...r, warnings: r.warnings.filter((w) => w.kind !== 'truncated') };
  // A loop, not Math.min(...): a capped read can hold more results than a call takes arguments (pageSize 1,000 ×
  // 200 pages overflows V8's stack).
  let oldest = Infinity;
  for (const o of r.resources) {
    const t = resultTime(o);
    const ms = t === undefined ? NaN : Date.parse(t);
    if (!Number.isNaN(ms)) oldest = Math.min(oldest, ms);
  }
  // Nothing kept has a date to cut at (pages of another patient's results, empty pages that go on, results
  // without a time): what was read, with the paging's own warnings, says that not everything was.
  if (!Number.isFinite(oldest)) return r;
  // The oldest day read may be read only in part: it is dropped, unless it is all there is.
  let cutoff = isoDay(dayMs(isoDay(oldest)) + DAY_MS);
  let resources = r.resources.filter((o) => {
    const t = resultTime(o);
    return t === undefined || Date.parse(t) >= dayMs(cutoff);
  });
  if (resources.length === 0) {
    resources = r.resources;
    cutoff = isoDay(oldest);
  }
  const warnings = [...r.warnings.filter((w) => w.kind !== 'truncated'), notLoadedWarning(category, cutoff)];
  return { resources, warnings, queries: r.queries, notLoadedBefore: cutoff };
}

/** A window's bounds: `since` inclusive (undefined: open), `before` exclusive (undefined: up to today). */
interface DateWindow {
  readonly since?: string;
  readonly before?: string;
}

const windowKey = (w: DateWindow): string => `${w.since ?? ''}|${w.before ?? ''}`;

/** The window of `days` ending at `end` (ms), cut at the span's start (`floor`), open past LAST_BOUNDED_WINDOW_DAYS. */
function windowEnding(
  end: number,
  before: string | undefined,
  days: number,
  floor: number | undefined,
): DateWindow {
  let lowerMs: number | undefined = days > LAST_BOUNDED_WINDOW_DAYS ? undefined : end - days * DAY_MS;
  if (floor !== undefined && (lowerMs === undefined || lowerMs <= floor)) lowerMs = floor;
  return { ...(lowerMs === undefined ? {} : { since: isoDay(lowerMs) }), ...(before ? { before } : {}) };
}

/**
 * Pages for windows read at the same time, newest first: window `i` may take a page while the pages taken by it
 * and every newer window leave room. A newer window never waits for budget an older one took, and no window is
 * allowed less than reading them one after another would leave it.
 */
function windowGates(total: number, count: number): PageGate[] {
  const taken = new Array<number>(count).fill(0);
  const through = (i: number): number => taken.slice(0, i + 1).reduce((a, b) => a + b, 0);
  return taken.map((_, i) => ({
    allows: (n: number) => through(i) + n <= total,
    take: () => void (taken[i] = (taken[i] ?? 0) + 1),
  }));
}

/**
 * Windows read ahead of the walk: the older windows, all asked for at once once the newest one is read (on an EHR
 * that answers each page in half a second, a year read window after window took two seconds and the whole record six
 * to ten); the rest of the span in one page; three windows at a time while looking for the newest result. The walk
 * below still takes windows one after another, so what it shows is exactly what reading them in turn would show; a
 * window it does not reach (after a cut, or when it starts again from the newest day) is stopped and counted as asked.
 */
class OlderWindows {
  private readonly stop = new AbortController();
  private readonly reads = new Map<string, Promise<PagedSearch<Observation>>>();

  constructor(
    ctx: FhirContext,
    category: ObservationCategory,
    windows: readonly DateWindow[],
    budget: number,
  ) {
    const gates = windowGates(budget, windows.length);
    const signal = ctx.signal ? AbortSignal.any([ctx.signal, this.stop.signal]) : this.stop.signal;
    windows.forEach((w, i) =>
      this.reads.set(windowKey(w), searchAll<Observation>(ctx, plan(ctx, category, w), { signal }, gates[i])),
    );
  }

  /** Whether this window was asked for and is not yet taken. */
  has(w: DateWindow): boolean {
    return this.reads.has(windowKey(w));
  }

  /** The read of this window, if it was asked for; taken once. */
  take(w: DateWindow): Promise<PagedSearch<Observation>> | undefined {
    const read = this.reads.get(windowKey(w));
    this.reads.delete(windowKey(w));
    return read;
  }

  /** Stops the reads not taken; the queries they made, for the audit record. */
  async drop(): Promise<string[]> {
    this.stop.abort();
    const left = await Promise.all(this.reads.values());
    this.reads.clear();
    return left.flatMap((r) => r.queries);
  }
}

/**
 * The windows from `end` (ms; `before` as a day, undefined: up to today) back to the span's start, each twice as
 * long as the one after it.
 */
function windowsBack(
  end: number,
  before: string | undefined,
  days: number,
  floor: number | undefined,
  spanSince?: string,
): DateWindow[] {
  const out: DateWindow[] = [];
  for (let at = end, upper = before, d = days; ; d *= 2) {
    const w = windowEnding(at, upper, d, floor);
    out.push(w);
    if (w.since === undefined || w.since === spanSince) return out;
    upper = w.since;
    at = dayMs(upper);
  }
}

/**
 * Windows asked for at once while looking for the newest result: a record that ended years ago (a patient who died,
 * moved or was seen long ago) lies several windows back, and each used to wait for the one before it.
 */
const FIND_AHEAD = 3;

/** Date windows back from the end of the span; each is used only when read whole. */
async function readWindows(
  ctx: FhirContext,
  category: ObservationCategory,
  opts: ReadOptions,
): Promise<NewestFirstSearch> {
  const { span } = opts;
  const floor = span.since === undefined ? undefined : dayMs(span.since);
  const cap = Math.max(1, ctx.server.pageCap ?? DEFAULT_PAGE_CAP);
  let budget = cap;
  let restarted = false;
  let upper = span.before;
  let days = FIRST_WINDOW_DAYS;
  const resources: Observation[] = [];
  const warnings: ChartWarning[] = [];
  const queries: string[] = [];
  const top = upper === undefined ? dayMs(isoDay(opts.now.getTime())) + DAY_MS : dayMs(upper);
  let older: OlderWindows | undefined;
  // The rest of the span behind the newest window, asked for beside it as one search of one page: most records fit,
  // and their chart then waits for one answer from the EHR instead of two. One that does not fit is read in windows.
  let rest: { readonly window: DateWindow; readonly read: OlderWindows } | undefined;
  const drop = async (): Promise<string[]> => {
    const asked = [...(older ? await older.drop() : []), ...(rest ? await rest.read.drop() : [])];
    older = undefined;
    rest = undefined;
    return asked;
  };
  const done = async (result: NewestFirstSearch): Promise<NewestFirstSearch> => {
    const asked = await drop();
    return asked.length === 0 ? result : { ...result, queries: [...result.queries, ...asked] };
  };
  for (;;) {
    const end = upper === undefined ? top : dayMs(upper);
    const window = windowEnding(end, upper, days, floor);
    const { since } = window;
    if (budget <= 0) {
      if (upper !== undefined) warnings.push(notLoadedWarning(category, upper));
      return done({ resources, warnings, queries, ...(upper ? { notLoadedBefore: upper } : {}) });
    }
    if (opts.firstDataOnly && !older?.has(window)) {
      // Looking for the newest result: this window and the next ones at once; the first that holds anything ends it.
      queries.push(...(await drop()));
      older = new OlderWindows(
        ctx,
        category,
        windowsBack(end, upper, days, floor, span.since).slice(0, FIND_AHEAD),
        budget,
      );
    } else if (!older && !rest && !restarted && since !== undefined && since !== span.since) {
      const behind: DateWindow = { ...(span.since ? { since: span.since } : {}), before: since };
      rest = { window: behind, read: new OlderWindows(ctx, category, [behind], 1) };
    }
    let r = await (older?.take(window) ??
      searchAll<Observation>(ctx, plan(ctx, category, window), {}, budget));
    // Read at the same time as the newer windows, it may hold more pages than are left to this one in turn.
    if (!r.error && !r.truncated && r.queries.length > budget) r = { ...r, truncated: true };
    budget -= Math.min(budget, r.queries.length);
    queries.push(...r.queries);
    if (r.error) {
      // Nothing read yet: the search failed as a whole (or is not offered).
      if (resources.length === 0) return done({ ...r, queries });
      const cut = upper ?? isoDay(top);
      warnings.push(notLoadedWarning(category, cut, 'failed'));
      return done({ resources, warnings, queries, notLoadedBefore: cut });
    }
    warnings.push(...r.warnings.filter((w) => w.kind !== 'truncated'));
    if (r.truncated) {
      // A window too full to read whole while nothing is loaded: walk back from its newest day instead, in windows
      // that double again from one day, with the cap afresh (once). The pages read in vain used to use it up, so a
      // patient charted every minute had no vital signs shown at all, and no word why.
      if (resources.length === 0 && days > 1 && !restarted) {
        restarted = true;
        budget = cap;
        days = 1;
        queries.push(...(await drop()));
        continue;
      }
      // Otherwise stop before it.
      const cut = upper ?? since ?? isoDay(top);
      // More results in one day than the cap allows: that day is shown as far as it was read.
      if (resources.length === 0) resources.push(...r.resources);
      warnings.push(notLoadedWarning(category, cut));
      return done({ resources, warnings, queries, notLoadedBefore: cut });
    }
    resources.push(...r.resources);
    if (since === undefined || since === span.since) break;
    if (opts.firstDataOnly && resources.length > 0) break;
    if (rest) {
      const behind = await rest.read.take(rest.window);
      rest = undefined;
      if (behind && !behind.error && !behind.truncated && budget >= behind.queries.length) {
        queries.push(...behind.queries);
        warnings.push(...behind.warnings.filter((w) => w.kind !== 'truncated'));
        resources.push(...behind.resources);
        break;
      }
      // Asked, and not used: the audit record still names it.
      if (behind) queries.push(...behind.queries);
    }
    upper = since;
    days *= 2;
    if (!older && !opts.firstDataOnly)
      older = new OlderWindows(
        ctx,
        category,
        windowsBack(dayMs(since), since, days, floor, span.since),
        budget,
      );
  }
  return done({ resources, warnings, queries });
}

export function readNewestFirst(
  ctx: FhirContext,
  category: ObservationCategory,
  span: Span,
  now: Date,
): Promise<NewestFirstSearch> {
  const sorted = sortsByDate(ctx.server.vendor);
  return (sorted ? readSorted : readWindows)(ctx, category, { span, now });
}

function newestOf(resources: readonly Observation[]): string | undefined {
  let best: string | undefined;
  for (const o of resources) {
    const t = resultTime(o);
    if (t !== undefined && (best === undefined || Date.parse(t) > Date.parse(best))) best = t;
  }
  return best;
}

/** The time of the newest result before `before` (undefined: the whole record), if any. */
export async function newestResultTime(
  ctx: FhirContext,
  category: ObservationCategory,
  before: string | undefined,
  now: Date,
): Promise<{ time?: string; queries: string[] }> {
  const sorted = sortsByDate(ctx.server.vendor);
  const span = before === undefined ? {} : { before };
  const r = sorted
    ? await readSorted(ctx, category, { span, now, firstDataOnly: true, pageSize: 1 })
    : await readWindows(ctx, category, { span, now, firstDataOnly: true });
  const time = newestOf(r.resources);
  return { ...(time ? { time } : {}), queries: r.queries };
}

/** The date of the record's oldest result where the server can say it in one request. */
export async function oldestResultTime(
  ctx: FhirContext,
  category: ObservationCategory,
): Promise<{ time?: string; queries: string[] }> {
  if (!sortsByDate(ctx.server.vendor)) return { queries: [] };
  const r = await searchAll<Observation>(
    ctx,
    plan(ctx, category, { order: 'oldest-first', pageSize: 1 }),
    {},
    1,
  );
  const first = r.resources[0];
  const time = first ? resultTime(first) : undefined;
  return { ...(time ? { time } : {}), queries: r.queries };
}
