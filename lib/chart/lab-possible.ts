/**
 * Lab results that cannot be, by what the test measures rather than by any patient's extremes (lib/chart/possible.ts
 * does the vital signs):
 * - A concentration, a count, an enzyme's activity, a specific gravity or a ratio of two such quantities is never
 *   below zero. One that is is an error in the record: a sign lost or added by an interface, or a calculation that
 *   failed (LDL cholesterol by the Friedewald formula, non-HDL cholesterol and globulin are differences of two
 *   results).
 * - A share of a whole given in percent (the hematocrit, HbA1c as NGSP %, a white-cell differential) lies between 0
 *   and 100 %.
 *
 * Only the codes listed are judged: a base excess, an anion gap or a z-score may well be below zero. A zero is
 * possible (a result below the detection limit is often sent as 0), and so is any value that is merely extreme.
 */

/** LOINC codes from space-separated lists. */
const codes = (...lists: string[]): ReadonlySet<string> => new Set(lists.flatMap((l) => l.split(' ')));

/** Quantities that are never below zero, by LOINC code. */
const NON_NEGATIVE = codes(
  // Blood count
  '6690-2 26464-8 789-8 26453-1 718-7 4544-3 20570-8 787-2 785-6 786-4 788-0 21000-5 777-3 26515-7 32623-1 32207-3 770-8 751-8 736-9 731-0 5905-5 713-8 706-2',
  // Metabolic panel and liver tests
  '2345-7 2339-0 14749-6 15074-8 3094-0 6299-2 2160-0 38483-4 33914-3 48642-3 48643-1 62238-1 98979-8 2951-2 2947-0 2823-3 6298-4 2075-0 2069-3 2028-9 20565-8 17861-6 49765-1 2885-2 1751-7 1975-2 6768-6 1742-6 1920-8 10834-0',
  // Lipids
  '2093-3 2085-9 18262-6 13457-7 2089-1 2571-8 43396-1',
  // HbA1c (NGSP %, IFCC mmol/mol)
  '4548-4 17856-6 59261-8',
  // Thyroid
  '3016-3 11580-8 3024-7 14920-3 3051-0 3053-6',
  // Urine by test strip: specific gravity, pH and amounts
  '5811-5 5803-2 5792-7 5797-6 5804-0 20505-4',
  // Specific IgE
  '6206-7 6273-7 6082-2 6246-3 6276-0 6106-9 6248-9 7258-7 6189-5 6085-5 6833-8 6095-4 6075-6 6844-5 6158-0',
  // Others reviewed on their own
  '14959-1 9318-7 2857-1 33762-6 30934-4 57905-2 29771-3',
);

/** Shares of a whole: in percent, 0–100 %. */
const SHARE_OF_WHOLE: ReadonlySet<string> = new Set([
  '4544-3', // hematocrit
  '20570-8', // hematocrit
  '4548-4', // HbA1c (NGSP)
  '17856-6', // HbA1c (NGSP), by HPLC
  '770-8', // neutrophils / 100 leukocytes
  '736-9', // lymphocytes / 100 leukocytes
  '5905-5', // monocytes / 100 leukocytes
  '713-8', // eosinophils / 100 leukocytes
  '706-2', // basophils / 100 leukocytes
]);

/**
 * Why a result cannot be, in a few words to follow "Not possible:", or undefined when it can (or the code is not
 * one judged here). `unit` is the result's UCUM code.
 */
export function impossibleLabResult(
  loinc: string | undefined,
  value: number,
  unit: string | undefined,
): string | undefined {
  if (loinc === undefined || !Number.isFinite(value)) return undefined;
  if (value < 0 && NON_NEGATIVE.has(loinc)) return 'below zero';
  if (value > 100 && unit === '%' && SHARE_OF_WHOLE.has(loinc)) return 'over 100 %';
  return undefined;
}
