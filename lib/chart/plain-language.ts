/**
 * Plain words for the patient's own view: names and one-sentence explanations
 * of vitals and common labs, keyed by LOINC, and where a value sits against its
 * usual range. Never a diagnosis, never advice beyond "talk to your care team".
 */

export interface PlainTest {
  /** The name a patient knows the test by. */
  readonly name: string;
  /** One sentence on what the test measures. */
  readonly explains: string;
}

/** Curated for vitals and the labs patients see most, each with the LOINC codes it goes by. */
const CURATED: readonly (readonly [readonly string[], PlainTest])[] = [
  [
    ['85354-9'],
    { name: 'Blood pressure', explains: 'This is how hard your blood pushes on your blood vessels.' },
  ],
  [
    ['8867-4'],
    { name: 'Heart rate (pulse)', explains: 'This is how many times your heart beats in one minute.' },
  ],
  [['9279-1'], { name: 'Breathing rate', explains: 'This is how many breaths you take in one minute.' }],
  [['8310-5', '8331-1'], { name: 'Body temperature', explains: 'This is how warm your body is.' }],
  [
    ['59408-5', '2708-6'],
    { name: 'Oxygen level', explains: 'This shows how much oxygen your blood is carrying.' },
  ],
  [['29463-7'], { name: 'Weight', explains: 'This is how much you weigh.' }],
  [['8302-2'], { name: 'Height', explains: 'This is how tall you are.' }],
  [
    ['39156-5'],
    { name: 'Body mass index (BMI)', explains: 'This number compares your weight with your height.' },
  ],
  [['9843-4'], { name: 'Head size', explains: 'This is the distance around the head.' }],
  [
    ['2093-3'],
    { name: 'Total cholesterol', explains: 'This is all the cholesterol, a kind of fat, in your blood.' },
  ],
  [
    ['18262-6', '13457-7'],
    {
      name: "LDL cholesterol (the 'bad' cholesterol)",
      explains: 'This is the kind of fat that can build up in your blood vessels.',
    },
  ],
  [
    ['2085-9'],
    {
      name: "HDL cholesterol (the 'good' cholesterol)",
      explains: 'This is the kind of fat that helps clear other fat from your blood.',
    },
  ],
  [
    ['2571-8'],
    { name: 'Triglycerides (a blood fat)', explains: 'This is a kind of fat your body stores for energy.' },
  ],
  [
    ['2339-0', '2345-7', '15074-8', '14749-6'],
    { name: 'Blood sugar (glucose)', explains: 'This is how much sugar is in your blood.' },
  ],
  [
    ['4548-4', '17856-6'],
    {
      name: 'Hemoglobin A1c — average blood sugar over 3 months',
      explains: 'This shows your usual blood sugar over the last few months.',
    },
  ],
  [
    ['2160-0', '38483-4'],
    { name: 'Creatinine (kidney test)', explains: 'This shows how well your kidneys clean your blood.' },
  ],
  [
    ['33914-3'],
    { name: 'Kidney filter rate (eGFR)', explains: 'This is a guess of how well your kidneys filter.' },
  ],
  [
    ['3094-0', '6299-2'],
    {
      name: 'Urea nitrogen (kidney test)',
      explains: 'This is a waste in your blood that your kidneys clear.',
    },
  ],
  [
    ['2951-2', '2947-0'],
    { name: 'Sodium (a salt)', explains: 'This is a salt your body needs to keep its water in balance.' },
  ],
  [
    ['2823-3', '6298-4'],
    { name: 'Potassium', explains: 'This is a salt that helps your heart and muscles work.' },
  ],
  [
    ['2075-0', '2069-3'],
    { name: 'Chloride (a salt)', explains: 'This is a salt that helps keep your body fluids in balance.' },
  ],
  [
    ['2028-9', '20565-8'],
    { name: 'Carbon dioxide (CO2)', explains: 'This shows the balance of acid and base in your blood.' },
  ],
  [
    ['17861-6', '49765-1'],
    { name: 'Calcium', explains: 'This is a mineral your bones, nerves and heart need.' },
  ],
  [
    ['6690-2'],
    { name: 'White blood cells', explains: 'These are the cells that help your body fight germs.' },
  ],
  [['789-8'], { name: 'Red blood cells', explains: 'These are the cells that carry oxygen in your blood.' }],
  [['718-7'], { name: 'Hemoglobin', explains: 'This is the part of red blood cells that holds oxygen.' }],
  [['4544-3'], { name: 'Hematocrit', explains: 'This shows how much of your blood is red blood cells.' }],
  [['777-3'], { name: 'Platelets', explains: 'These are the tiny cells that help your blood clot.' }],
  [['1742-6'], { name: 'ALT (liver test)', explains: 'This shows how well your liver is working.' }],
  [['1920-8'], { name: 'AST (liver test)', explains: 'This shows how well your liver is working.' }],
  [
    ['3016-3'],
    { name: 'TSH (thyroid test)', explains: 'This shows how well your thyroid gland is working.' },
  ],
  [
    ['14959-1'],
    { name: 'Protein in urine', explains: 'This looks for protein from the kidneys in your urine.' },
  ],
];

/** By LOINC; anything else keeps the EHR's name. */
export const PLAIN_TESTS: { readonly [loinc: string]: PlainTest } = Object.fromEntries(
  CURATED.flatMap(([codes, test]) => codes.map((code) => [code, test])),
);

/** Said of a test the table does not know. */
export const UNKNOWN_TEST_EXPLAINS = 'Ask your care team what this test measures.';

/** The plain name and explanation of a test, falling back to the EHR's text. */
export function plainTest(loinc: string | undefined, ehrText: string): PlainTest {
  const known = loinc === undefined ? undefined : PLAIN_TESTS[loinc];
  return known ?? { name: ehrText, explains: UNKNOWN_TEST_EXPLAINS };
}

export type RangePosition = 'below' | 'in' | 'above';

export const RANGE_WORDS: { readonly [P in RangePosition]: string } = {
  below: 'below the usual range',
  in: 'in the usual range',
  above: 'above the usual range',
};

export interface UsualRange {
  readonly low?: number;
  readonly high?: number;
}

/** Where a value sits against its usual range; undefined when the range has no numbers. */
export function rangePosition(value: number, range: UsualRange | undefined): RangePosition | undefined {
  if (range === undefined || (range.low === undefined && range.high === undefined)) return undefined;
  if (range.low !== undefined && value < range.low) return 'below';
  if (range.high !== undefined && value > range.high) return 'above';
  return 'in';
}

/** A range bar's geometry: percentages of the bar's width, 0 at its left end. */
export interface RangeBarScale {
  readonly usualStart: number;
  readonly usualEnd: number;
  readonly value: number;
}

const clampPct = (x: number) => Math.min(100, Math.max(0, x));

/**
 * Lays a value and its usual range on one bar: the usual range in the middle
 * half when both ends are known, the value always on the bar.
 */
export function rangeBarScale(value: number, range: UsualRange): RangeBarScale | undefined {
  const { low, high } = range;
  if (low === undefined && high === undefined) return undefined;
  let min: number;
  let max: number;
  if (low !== undefined && high !== undefined && high > low) {
    const pad = (high - low) / 2;
    min = Math.min(low - pad, value);
    max = Math.max(high + pad, value);
  } else if (high !== undefined && low === undefined) {
    min = Math.min(0, value);
    max = Math.max(high * 1.5, value * 1.1, high + 1);
  } else {
    const lo = low ?? high ?? 0;
    min = Math.min(0, value);
    max = Math.max(lo * 2, value * 1.1, lo + 1);
  }
  const pct = (x: number) => clampPct(((x - min) / (max - min)) * 100);
  return {
    usualStart: low === undefined ? 0 : pct(low),
    usualEnd: high === undefined ? 100 : pct(high),
    value: pct(value),
  };
}

export type TrendDirection = 'up' | 'down' | 'same';

/** Compares the newest value with an older one: a change under 5% is "about the same". */
export function trendDirection(older: number, newer: number): TrendDirection {
  const base = Math.abs(older) > 0 ? Math.abs(older) : 1;
  const change = (newer - older) / base;
  if (change > 0.05) return 'up';
  if (change < -0.05) return 'down';
  return 'same';
}

export const TREND_WORDS: { readonly [D in TrendDirection]: string } = {
  up: 'Higher than',
  down: 'Lower than',
  same: 'About the same as',
};

/** SNOMED CT codes of common conditions, by the name patients use. */
export const PLAIN_CONDITIONS: { readonly [snomed: string]: string } = {
  '44054006': 'Type 2 diabetes',
  '46635009': 'Type 1 diabetes',
  '15777000': 'Prediabetes',
  '38341003': 'High blood pressure',
  '59621000': 'High blood pressure',
  '55822004': 'High blood fats (cholesterol)',
  '13644009': 'High cholesterol',
  '162864005': 'Obesity',
  '414916001': 'Obesity',
  '195967001': 'Asthma',
  '40055000': 'Long-term sinus infection',
  '444814009': 'Sinus infection',
  '10509002': 'Bronchitis',
  '195662009': 'Sore throat',
  '431855005': 'Chronic kidney disease (stage 1)',
  '431856006': 'Chronic kidney disease (stage 2)',
  '433144002': 'Chronic kidney disease (stage 3)',
  '53741008': 'Heart disease (narrowed heart arteries)',
  '49436004': 'Irregular heartbeat (atrial fibrillation)',
  '35489007': 'Depression',
  '197480006': 'Anxiety',
  '230690007': 'Stroke',
  '69896004': 'Rheumatoid arthritis',
  '239873007': 'Osteoarthritis of the knee',
  '368581000119106': 'Nerve damage from diabetes',
  '1551000119108': 'Eye damage from diabetes',
};

/** The name of a condition a patient knows: the curated one, else the EHR's without its SNOMED tag. */
export function plainCondition(snomed: string | undefined, ehrText: string): string {
  const known = snomed === undefined ? undefined : PLAIN_CONDITIONS[snomed];
  return known ?? ehrText.replace(/\s*\((disorder|finding|situation|morphologic abnormality)\)\s*$/i, '');
}

/** "Family, Given Middle" as a person says it: "Given Middle Family". */
export function spokenName(display: string): string {
  const comma = display.indexOf(',');
  if (comma < 0) return display.trim();
  return `${display.slice(comma + 1).trim()} ${display.slice(0, comma).trim()}`.trim();
}
