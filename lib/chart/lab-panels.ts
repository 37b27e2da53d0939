/**
 * Short clinical names and panels for common laboratory LOINC codes, as a
 * results review shows them ("LDL cholesterol" under "Lipids", not "Cholesterol
 * in LDL [Mass/volume] in Serum or Plasma by Direct assay"). Codes not listed
 * keep the EHR's name and fall under "Other".
 *
 * Within a panel the table is in the order a laboratory's report lists the
 * tests, which is the order a clinician scans them in: the blood count's cell
 * counts, then its indices, then the differential; the metabolic panel's
 * glucose, kidney tests, electrolytes and calcium, then the liver tests; the
 * lipid panel's total cholesterol, triglycerides, HDL, then LDL. `labRank`
 * gives that order; the "Other" panel has none and goes by name.
 */

export type LabPanelId =
  'cbc' | 'metabolic' | 'lipids' | 'hba1c' | 'thyroid' | 'urinalysis' | 'allergy' | 'other';

/** In the order a results review shows them. */
export const LAB_PANELS: readonly { readonly id: LabPanelId; readonly title: string }[] = [
  { id: 'cbc', title: 'Blood count' },
  { id: 'metabolic', title: 'Metabolic panel' },
  { id: 'lipids', title: 'Lipids' },
  { id: 'hba1c', title: 'HbA1c' },
  { id: 'thyroid', title: 'Thyroid' },
  { id: 'urinalysis', title: 'Urinalysis' },
  { id: 'allergy', title: 'Allergy (specific IgE)' },
  { id: 'other', title: 'Other results' },
];

type Entry = readonly [name: string, panel: LabPanelId];

const LABS: Readonly<Record<string, Entry>> = {
  // Blood count
  '6690-2': ['WBC', 'cbc'],
  '26464-8': ['WBC', 'cbc'],
  '789-8': ['RBC', 'cbc'],
  '26453-1': ['RBC', 'cbc'],
  '718-7': ['Hemoglobin', 'cbc'],
  '4544-3': ['Hematocrit', 'cbc'],
  '20570-8': ['Hematocrit', 'cbc'],
  '787-2': ['MCV', 'cbc'],
  '785-6': ['MCH', 'cbc'],
  '786-4': ['MCHC', 'cbc'],
  '788-0': ['RDW', 'cbc'],
  '21000-5': ['RDW', 'cbc'],
  '777-3': ['Platelets', 'cbc'],
  '26515-7': ['Platelets', 'cbc'],
  '32623-1': ['MPV', 'cbc'],
  '32207-3': ['Platelet distribution width', 'cbc'],
  '770-8': ['Neutrophils %', 'cbc'],
  '751-8': ['Neutrophils', 'cbc'],
  '736-9': ['Lymphocytes %', 'cbc'],
  '731-0': ['Lymphocytes', 'cbc'],
  // Metabolic panel
  '2345-7': ['Glucose', 'metabolic'],
  '2339-0': ['Glucose', 'metabolic'],
  '14749-6': ['Glucose', 'metabolic'],
  '3094-0': ['BUN', 'metabolic'],
  '6299-2': ['BUN', 'metabolic'],
  '2160-0': ['Creatinine', 'metabolic'],
  '38483-4': ['Creatinine', 'metabolic'],
  '33914-3': ['eGFR', 'metabolic'],
  '48642-3': ['eGFR', 'metabolic'],
  '48643-1': ['eGFR', 'metabolic'],
  '62238-1': ['eGFR', 'metabolic'],
  '98979-8': ['eGFR', 'metabolic'],
  '3097-3': ['BUN/creatinine ratio', 'metabolic'],
  '2951-2': ['Sodium', 'metabolic'],
  '2947-0': ['Sodium', 'metabolic'],
  '2823-3': ['Potassium', 'metabolic'],
  '6298-4': ['Potassium', 'metabolic'],
  '2075-0': ['Chloride', 'metabolic'],
  '2069-3': ['Chloride', 'metabolic'],
  '2028-9': ['CO₂', 'metabolic'],
  '20565-8': ['CO₂', 'metabolic'],
  '17861-6': ['Calcium', 'metabolic'],
  '49765-1': ['Calcium', 'metabolic'],
  '2885-2': ['Total protein', 'metabolic'],
  '1751-7': ['Albumin', 'metabolic'],
  '10834-0': ['Globulin', 'metabolic'],
  '1759-0': ['Albumin/globulin ratio', 'metabolic'],
  '1975-2': ['Bilirubin, total', 'metabolic'],
  '6768-6': ['Alkaline phosphatase', 'metabolic'],
  '1920-8': ['AST', 'metabolic'],
  '1742-6': ['ALT', 'metabolic'],
  // Lipids
  '2093-3': ['Total cholesterol', 'lipids'],
  '2571-8': ['Triglycerides', 'lipids'],
  '2085-9': ['HDL cholesterol', 'lipids'],
  '18262-6': ['LDL cholesterol', 'lipids'],
  '13457-7': ['LDL cholesterol', 'lipids'],
  '2089-1': ['LDL cholesterol', 'lipids'],
  '43396-1': ['Non-HDL cholesterol', 'lipids'],
  // HbA1c
  '4548-4': ['HbA1c', 'hba1c'],
  '17856-6': ['HbA1c', 'hba1c'],
  '59261-8': ['HbA1c', 'hba1c'],
  // Thyroid
  '3016-3': ['TSH', 'thyroid'],
  '11580-8': ['TSH', 'thyroid'],
  '3024-7': ['Free T4', 'thyroid'],
  '14920-3': ['Free T4', 'thyroid'],
  '3051-0': ['Free T3', 'thyroid'],
  '3053-6': ['Total T3', 'thyroid'],
  // Urinalysis by test strip: the qualitative reading and, where the strip gives one, its amount,
  // as two rows with names of their own.
  '5778-6': ['Urine color', 'urinalysis'],
  '32167-9': ['Urine clarity', 'urinalysis'],
  '5767-9': ['Urine appearance', 'urinalysis'],
  '5811-5': ['Urine specific gravity', 'urinalysis'],
  '5803-2': ['Urine pH', 'urinalysis'],
  '25428-4': ['Urine glucose', 'urinalysis'],
  '5792-7': ['Urine glucose, amount', 'urinalysis'],
  '2514-8': ['Urine ketones', 'urinalysis'],
  '5797-6': ['Urine ketones, amount', 'urinalysis'],
  '20454-5': ['Urine protein', 'urinalysis'],
  '5804-0': ['Urine protein, amount', 'urinalysis'],
  '5770-3': ['Urine bilirubin', 'urinalysis'],
  '20505-4': ['Urine bilirubin, amount', 'urinalysis'],
  '5794-3': ['Urine blood', 'urinalysis'],
  '5802-4': ['Urine nitrite', 'urinalysis'],
  '5799-2': ['Urine leukocyte esterase', 'urinalysis'],
  // Specific IgE, as an allergy panel reports them: food, inhaled and other allergens.
  '6206-7': ['Peanut IgE', 'allergy'],
  '6273-7': ['Walnut IgE', 'allergy'],
  '6082-2': ['Codfish IgE', 'allergy'],
  '6246-3': ['Shrimp IgE', 'allergy'],
  '6276-0': ['Wheat IgE', 'allergy'],
  '6106-9': ['Egg white IgE', 'allergy'],
  '6248-9': ['Soybean IgE', 'allergy'],
  '7258-7': ['Cow milk IgE', 'allergy'],
  '6189-5': ['White oak IgE', 'allergy'],
  '6085-5': ['Common ragweed IgE', 'allergy'],
  '6833-8': ['Cat dander IgE', 'allergy'],
  '6095-4': ['House dust mite (D. farinae) IgE', 'allergy'],
  '6075-6': ['Cladosporium IgE', 'allergy'],
  '6844-5': ['Honey bee IgE', 'allergy'],
  '6158-0': ['Latex IgE', 'allergy'],
  // Reviewed on their own, by the names clinicians use.
  '14959-1': ['Urine albumin/creatinine ratio', 'other'],
  '9318-7': ['Urine albumin/creatinine ratio', 'other'],
  '2857-1': ['PSA', 'other'],
  '33762-6': ['NT-proBNP', 'other'],
  '30934-4': ['BNP', 'other'],
  '57905-2': ['FIT (fecal immunochemical test)', 'other'],
  '29771-3': ['FIT (fecal immunochemical test)', 'other'],
};

/** The codes the table names. */
export const LAB_CODES: readonly string[] = Object.keys(LABS);

/** The short clinical name for a LOINC code, when the table has one. */
export function labShortName(loinc: string | undefined): string | undefined {
  return loinc === undefined ? undefined : LABS[loinc]?.[0];
}

/** The panel a result is reviewed under. */
export function labPanel(loinc: string | undefined): LabPanelId {
  return (loinc === undefined ? undefined : LABS[loinc]?.[1]) ?? 'other';
}

/** Each listed code's place in its panel's report order (the table's order); the "Other" panel has none. */
const RANK: ReadonlyMap<string, number> = new Map(
  Object.entries(LABS).flatMap(([code, [, panel]], i) => (panel === 'other' ? [] : [[code, i] as const])),
);

/** Where a test comes in its panel's report order; undefined for tests the table does not place. */
export function labRank(loinc: string | undefined): number | undefined {
  return loinc === undefined ? undefined : RANK.get(loinc);
}

/**
 * Tests of one panel in its report order, tests the table does not place after them by name (then by key, so
 * the order never depends on the order the EHR answered in).
 */
export function inReportOrder(
  a: { readonly label: string; readonly key: string; readonly loinc?: string },
  b: { readonly label: string; readonly key: string; readonly loinc?: string },
): number {
  const ra = labRank(a.loinc) ?? Infinity;
  const rb = labRank(b.loinc) ?? Infinity;
  return (ra === rb ? 0 : ra < rb ? -1 : 1) || a.label.localeCompare(b.label) || a.key.localeCompare(b.key);
}
