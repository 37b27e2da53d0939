import type { CodeableConcept } from '@medplum/fhirtypes';
import { codesIn, LOINC } from './coding';

/**
 * A LOINC code as LOINC writes them: up to seven digits, a hyphen and the Mod 10 check digit of the digits before
 * it (the digits doubled from the rightmost, every other one, and their digits summed with the rest).
 */
export function isLoincCode(code: string): boolean {
  const m = /^(\d{1,7})-(\d)$/.exec(code);
  if (!m) return false;
  const digits = m[1]!;
  let sum = 0;
  for (let i = digits.length - 1, double = true; i >= 0; i--, double = !double) {
    const d = Number(digits[i]) * (double ? 2 : 1);
    sum += d > 9 ? d - 9 : d;
  }
  return (10 - (sum % 10)) % 10 === Number(m[2]);
}

/**
 * LOINC long common names of the tests the panel table places (lab-panels.ts), for codings that carry the name with
 * a code that is not LOINC's: athenahealth sends a laboratory result under `http://loinc.org` with its own analyte
 * number ("12809") and LOINC's name for the test ("Glucose [Mass/volume] in Serum or Plasma"). The name then says
 * which test it is; a code that is LOINC's always wins over its name.
 */
export const LONG_COMMON_NAMES: Readonly<Record<string, string>> = {
  // Blood count
  '6690-2': 'Leukocytes [#/volume] in Blood by Automated count',
  '789-8': 'Erythrocytes [#/volume] in Blood by Automated count',
  '718-7': 'Hemoglobin [Mass/volume] in Blood',
  '4544-3': 'Hematocrit [Volume Fraction] of Blood by Automated count',
  '20570-8': 'Hematocrit [Volume Fraction] of Blood',
  '787-2': 'MCV [Entitic volume] by Automated count',
  '785-6': 'MCH [Entitic mass] by Automated count',
  '786-4': 'MCHC [Mass/volume] by Automated count',
  '788-0': 'Erythrocyte distribution width [Ratio] by Automated count',
  '21000-5': 'Erythrocyte distribution width [Entitic volume] by Automated count',
  '777-3': 'Platelets [#/volume] in Blood by Automated count',
  '32623-1': 'Platelet mean volume [Entitic volume] in Blood by Automated count',
  // Metabolic panel
  '2345-7': 'Glucose [Mass/volume] in Serum or Plasma',
  '2339-0': 'Glucose [Mass/volume] in Blood',
  '3094-0': 'Urea nitrogen [Mass/volume] in Serum or Plasma',
  '6299-2': 'Urea nitrogen [Mass/volume] in Blood',
  '2160-0': 'Creatinine [Mass/volume] in Serum or Plasma',
  '38483-4': 'Creatinine [Mass/volume] in Blood',
  '3097-3': 'Urea nitrogen/Creatinine [Mass Ratio] in Serum or Plasma',
  '48642-3':
    'Glomerular filtration rate/1.73 sq M.predicted among non-blacks [Volume Rate/Area] in Serum, Plasma or Blood by Creatinine-based formula (MDRD)',
  '48643-1':
    'Glomerular filtration rate/1.73 sq M.predicted among blacks [Volume Rate/Area] in Serum, Plasma or Blood by Creatinine-based formula (MDRD)',
  '2951-2': 'Sodium [Moles/volume] in Serum or Plasma',
  '2947-0': 'Sodium [Moles/volume] in Blood',
  '2823-3': 'Potassium [Moles/volume] in Serum or Plasma',
  '6298-4': 'Potassium [Moles/volume] in Blood',
  '2075-0': 'Chloride [Moles/volume] in Serum or Plasma',
  '2069-3': 'Chloride [Moles/volume] in Blood',
  '2028-9': 'Carbon dioxide, total [Moles/volume] in Serum or Plasma',
  '20565-8': 'Carbon dioxide, total [Moles/volume] in Blood',
  '17861-6': 'Calcium [Mass/volume] in Serum or Plasma',
  '49765-1': 'Calcium [Mass/volume] in Blood',
  '2885-2': 'Protein [Mass/volume] in Serum or Plasma',
  '1751-7': 'Albumin [Mass/volume] in Serum or Plasma',
  '10834-0': 'Globulin [Mass/volume] in Serum by calculation',
  '1759-0': 'Albumin/Globulin [Mass Ratio] in Serum or Plasma',
  '1975-2': 'Bilirubin.total [Mass/volume] in Serum or Plasma',
  '6768-6': 'Alkaline phosphatase [Enzymatic activity/volume] in Serum or Plasma',
  '1920-8': 'Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma',
  '1742-6': 'Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma',
  // Lipids
  '2093-3': 'Cholesterol [Mass/volume] in Serum or Plasma',
  '2571-8': 'Triglyceride [Mass/volume] in Serum or Plasma',
  '2085-9': 'Cholesterol in HDL [Mass/volume] in Serum or Plasma',
  '18262-6': 'Cholesterol in LDL [Mass/volume] in Serum or Plasma by Direct assay',
  '13457-7': 'Cholesterol in LDL [Mass/volume] in Serum or Plasma by calculation',
  '2089-1': 'Cholesterol in LDL [Mass/volume] in Serum or Plasma',
  // HbA1c and thyroid
  '4548-4': 'Hemoglobin A1c/Hemoglobin.total in Blood',
  '17856-6': 'Hemoglobin A1c/Hemoglobin.total in Blood by HPLC',
  '3016-3': 'Thyrotropin [Units/volume] in Serum or Plasma',
  '3024-7': 'Thyroxine (T4) free [Mass/volume] in Serum or Plasma',
};

const fold = (name: string): string => name.trim().replace(/\s+/g, ' ').toLowerCase();

const BY_NAME: ReadonlyMap<string, string> = new Map(
  Object.entries(LONG_COMMON_NAMES).map(([code, name]) => [fold(name), code]),
);

/** The LOINC code whose long common name this is, when the table has it. */
export function loincByName(name: string): string | undefined {
  return BY_NAME.get(fold(name));
}

const READ = new WeakMap<CodeableConcept, string | null>();

/**
 * The LOINC code of a laboratory result's concept: the first LOINC code it carries; else, for a coding under LOINC's
 * system whose code is not LOINC's, the code of the test its name is (loincByName); else the first code sent under
 * LOINC's system as it was sent, so results still group by it. Read once for a frozen concept.
 */
export function labLoinc(concept: CodeableConcept): string | undefined {
  const held = READ.get(concept);
  if (held !== undefined) return held ?? undefined;
  const sent = codesIn(concept, LOINC);
  let code = sent.find(isLoincCode);
  for (const c of concept.coding ?? []) {
    if (code !== undefined) break;
    if (c.system === LOINC && c.display && !(c.code && isLoincCode(c.code))) code = loincByName(c.display);
  }
  code ??= sent[0];
  if (Object.isFrozen(concept)) READ.set(concept, code ?? null);
  return code;
}
