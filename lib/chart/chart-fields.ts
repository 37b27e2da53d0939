import type { CodeableConcept, Coding, Observation } from '@medplum/fhirtypes';

/** What the chart's mappers read: vitals, labs, growth and the newest-first reading's dates. */
const FIELDS = [
  'resourceType',
  'id',
  'status',
  'code',
  'effectiveDateTime',
  'effectivePeriod',
  'effectiveInstant',
  'issued',
  'valueQuantity',
  'valueInteger',
  'valueString',
  'valueCodeableConcept',
  'valueBoolean',
  'valueRatio',
  'valueRange',
  'dataAbsentReason',
  'interpretation',
  'referenceRange',
  'component',
] as const satisfies readonly (keyof Observation)[];

/**
 * Concepts already held by one search, by their first code. A large record repeats a few dozen codes tens of
 * thousands of times, each parsed into its own objects and strings; held once, the 26,000 vital signs of the
 * largest sandbox record take 10 MiB instead of 19 MiB. Like the fields, a concept keeps only what the chart
 * reads (text; each coding's system, code and display), and a held one is frozen: it is shared.
 */
export type ConceptPool = Map<string, CodeableConcept[]>;

/** Distinct concepts kept under one first code; past this, a concept is cut down but not shared. */
const BUCKET = 16;

function isSame(a: CodeableConcept, b: CodeableConcept): boolean {
  if (a.text !== b.text) return false;
  const x = a.coding;
  const y = b.coding;
  if (x === undefined || y === undefined) return x === y;
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) {
    const p = x[i] as Coding;
    const q = y[i] as Coding;
    if (p.system !== q.system || p.code !== q.code || p.display !== q.display) return false;
  }
  return true;
}

function readFields(c: CodeableConcept): CodeableConcept {
  const coding = c.coding?.map((x) =>
    Object.freeze({
      ...(x.system !== undefined ? { system: x.system } : {}),
      ...(x.code !== undefined ? { code: x.code } : {}),
      ...(x.display !== undefined ? { display: x.display } : {}),
    }),
  );
  return Object.freeze({
    ...(c.text !== undefined ? { text: c.text } : {}),
    ...(coding ? { coding: Object.freeze(coding) as Coding[] } : {}),
  });
}

function pooled(c: CodeableConcept, pool: ConceptPool): CodeableConcept {
  const key = c.coding?.[0]?.code ?? c.text ?? '';
  const held = pool.get(key);
  if (held) for (const h of held) if (isSame(h, c)) return h;
  const cut = readFields(c);
  if (!held) pool.set(key, [cut]);
  else if (held.length < BUCKET) held.push(cut);
  return cut;
}

/**
 * An Observation cut down to what the chart reads. Search pages are cut down
 * as each page arrives, so a record of tens of thousands of Observations is
 * never held whole: narrative, meta, subject, performer, encounter and the
 * categories go with their page.
 */
export function chartFields(o: Observation): Observation {
  const out: Partial<Record<(typeof FIELDS)[number], unknown>> = {};
  for (const k of FIELDS) if (o[k] !== undefined) out[k] = o[k];
  return out as Observation;
}

/** chartFields for one search: equal codes (also components' codes and interpretations) are held once in `pool`. */
export function chartFieldsSharing(pool: ConceptPool): (o: Observation) => Observation {
  return (o) => {
    const out = chartFields(o);
    if (o.code) out.code = pooled(o.code, pool);
    if (o.interpretation) out.interpretation = o.interpretation.map((c) => pooled(c, pool));
    if (o.component)
      out.component = o.component.map((c) => (c.code ? { ...c, code: pooled(c.code, pool) } : c));
    return out;
  };
}
