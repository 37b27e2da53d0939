/**
 * GFR categories of chronic kidney disease: KDIGO 2012 Clinical Practice Guideline for the Evaluation and
 * Management of Chronic Kidney Disease (Kidney Int Suppl 2013;3:1–150), Table 5 / Figure 2, in mL/min/1.73 m².
 * The chart names the category of an estimated GFR below 60 (G3a to G5), where a reduced GFR alone places the
 * patient in a category of CKD if it lasts over 3 months; G1 and G2 need other markers of kidney damage to mean
 * anything, and are left unsaid.
 */
export interface GfrCategory {
  readonly code: 'G3a' | 'G3b' | 'G4' | 'G5';
  readonly text: string;
}

const CATEGORIES: readonly (GfrCategory & { readonly below: number; readonly from: number })[] = [
  { code: 'G3a', text: 'mildly to moderately decreased', from: 45, below: 60 },
  { code: 'G3b', text: 'moderately to severely decreased', from: 30, below: 45 },
  { code: 'G4', text: 'severely decreased', from: 15, below: 30 },
  { code: 'G5', text: 'kidney failure', from: -Infinity, below: 15 },
];

/**
 * LOINC codes of a GFR estimated per 1.73 m² of body surface (MDRD, CKD-EPI with and without race, cystatin C):
 * the code says the result is per 1.73 m² even where the EHR's unit reads "mL/min" (Synthea's).
 */
const EGFR_LOINC = new Set([
  '33914-3',
  '48642-3',
  '48643-1',
  '50044-7',
  '50210-4',
  '62238-1',
  '69405-9',
  '70969-1',
  '77147-7',
  '88293-6',
  '88294-4',
  '98979-8',
  '98980-6',
]);

// athenahealth writes "mL/min/1.73", without the m².
const PER_BODY_SURFACE = new Set([
  'mL/min/{1.73_m2}',
  'mL/min/1.73m2',
  'mL/min/1.73 m2',
  'mL/min/1.73',
  'mL/min',
]);

/** The KDIGO GFR category of an eGFR below 60, as the value is shown (rounded to whole mL/min/1.73 m²). */
export function gfrCategory(
  loinc: string | undefined,
  value: number,
  unit: string | undefined,
): GfrCategory | undefined {
  if (loinc === undefined || !EGFR_LOINC.has(loinc) || unit === undefined || !PER_BODY_SURFACE.has(unit))
    return undefined;
  const shown = Math.round(value);
  const c = CATEGORIES.find((k) => shown >= k.from && shown < k.below);
  return c === undefined ? undefined : { code: c.code, text: c.text };
}
