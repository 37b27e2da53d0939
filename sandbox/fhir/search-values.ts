/** Value extraction and comparison for the search parameters the sandbox indexes itself. */
import type { CodeableConcept, Coding, HumanName, Identifier, Period, Resource } from '@medplum/fhirtypes';

export interface TokenValue {
  readonly system?: string;
  readonly code?: string;
  readonly text?: string;
}

/** [inclusive start, exclusive end) in epoch milliseconds. */
export type DateRange = readonly [number, number];

export type Extractor =
  | { readonly kind: 'token'; readonly get: (r: Resource) => TokenValue[] }
  | { readonly kind: 'date'; readonly get: (r: Resource) => DateRange[] }
  | { readonly kind: 'string'; readonly get: (r: Resource) => string[] };

/** The range a FHIR date, dateTime or instant covers, by its precision. */
export function dateRange(value: string): DateRange | undefined {
  const m =
    /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/.exec(
      value,
    );
  if (!m?.[1]) {
    return undefined;
  }
  const [, year, month, day, hour] = m;
  if (hour !== undefined) {
    const withZone = m[8] ? value : `${value}Z`;
    const start = Date.parse(withZone);
    if (Number.isNaN(start)) {
      return undefined;
    }
    const span = m[6] === undefined ? 60_000 : m[7] ? 1 : 1000;
    return [start, start + span];
  }
  const y = Number(year);
  if (day !== undefined) {
    const start = Date.UTC(y, Number(month) - 1, Number(day));
    return [start, start + 86_400_000];
  }
  if (month !== undefined) {
    return [Date.UTC(y, Number(month) - 1, 1), Date.UTC(y, Number(month), 1)];
  }
  return [Date.UTC(y, 0, 1), Date.UTC(y + 1, 0, 1)];
}

export function periodRange(period: Period | undefined): DateRange[] {
  if (!period) {
    return [];
  }
  const start = period.start ? dateRange(period.start)?.[0] : Number.NEGATIVE_INFINITY;
  const end = period.end ? dateRange(period.end)?.[1] : Number.POSITIVE_INFINITY;
  return start === undefined || end === undefined ? [] : [[start, end]];
}

export function dates(...values: (string | undefined)[]): DateRange[] {
  return values.map((v) => (v ? dateRange(v) : undefined)).filter((r): r is DateRange => r !== undefined);
}

export function codings(...concepts: (CodeableConcept | Coding | undefined)[]): TokenValue[] {
  const out: TokenValue[] = [];
  for (const concept of concepts) {
    if (!concept) {
      continue;
    }
    if ('coding' in concept || 'text' in concept) {
      const cc = concept;
      for (const c of cc.coding ?? []) {
        out.push({ system: c.system, code: c.code, text: c.display ?? cc.text });
      }
      if (!cc.coding?.length && cc.text) {
        out.push({ text: cc.text });
      }
    } else {
      const c = concept as Coding;
      out.push({ system: c.system, code: c.code, text: c.display });
    }
  }
  return out;
}

export function identifiers(list: Identifier[] | undefined): TokenValue[] {
  return (list ?? []).map((i) => ({ system: i.system, code: i.value, text: i.type?.text }));
}

export function names(list: HumanName[] | undefined, parts: 'all' | 'family' | 'given'): string[] {
  const out: string[] = [];
  for (const n of list ?? []) {
    if (parts !== 'given' && n.family) {
      out.push(n.family);
    }
    if (parts !== 'family') {
      out.push(...(n.given ?? []));
    }
    if (parts === 'all') {
      out.push(...(n.prefix ?? []), ...(n.suffix ?? []));
      if (n.text) {
        out.push(n.text);
      }
    }
  }
  return out;
}

export function normalizeText(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();
}

export function tokenMatches(actual: TokenValue, wanted: string, modifier: string | undefined): boolean {
  if (modifier === 'text') {
    return actual.text !== undefined && normalizeText(actual.text).includes(normalizeText(wanted));
  }
  const bar = wanted.indexOf('|');
  if (bar < 0) {
    return actual.code === wanted;
  }
  const system = wanted.slice(0, bar);
  const code = wanted.slice(bar + 1);
  if (system === '') {
    return actual.system === undefined && actual.code === code;
  }
  return actual.system === system && (code === '' || actual.code === code);
}

export type DatePrefix = 'eq' | 'ne' | 'gt' | 'lt' | 'ge' | 'le' | 'sa' | 'eb' | 'ap';
const PREFIXES: readonly DatePrefix[] = ['eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb', 'ap'];

export function parseDateSearch(value: string): { prefix: DatePrefix; range: DateRange } | undefined {
  const prefix = PREFIXES.find((p) => value.startsWith(p)) ?? 'eq';
  const range = dateRange(value.startsWith(prefix) ? value.slice(2) : value);
  return range ? { prefix, range } : undefined;
}

/** FHIR date search semantics between the target's range and the search value's range. */
export function dateMatches(target: DateRange, prefix: DatePrefix, search: DateRange): boolean {
  const [tLo, tHi] = target;
  const [sLo, sHi] = search;
  switch (prefix) {
    case 'eq':
      return tLo >= sLo && tHi <= sHi;
    case 'ne':
      return !(tLo >= sLo && tHi <= sHi);
    case 'gt':
      return tHi > sHi;
    case 'lt':
      return tLo < sLo;
    case 'ge':
      return tHi > sLo;
    case 'le':
      return tLo < sHi;
    case 'sa':
      return tLo >= sHi;
    case 'eb':
      return tHi <= sLo;
    case 'ap':
      return tLo < sHi && tHi > sLo;
    default: {
      const unreachable: never = prefix;
      return unreachable;
    }
  }
}
