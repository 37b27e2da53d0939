import type { CodeableConcept, Condition, HumanName, Observation, Patient } from '@medplum/fhirtypes';
import { labShortName } from '../../lib/chart/lab-panels';
import { newest, searchAll } from './sandbox';

/**
 * Facts about a sandbox patient computed straight from FHIR, independently of
 * the app's mappers, to check what the chart shows.
 */

export function displayName(p: Patient): string {
  const n: HumanName | undefined = p.name?.find((x) => x.use === 'official') ?? p.name?.[0];
  return `${n?.family ?? ''}, ${(n?.given ?? []).join(' ')}`.trim();
}

const isFinal = (o: Observation) => ['final', 'amended', 'corrected'].includes(o.status);
const hasCode = (c: CodeableConcept | undefined, code: string) =>
  c?.coding?.some((x) => x.code === code) ?? false;
const label = (c: CodeableConcept | undefined) => c?.text ?? c?.coding?.[0]?.display ?? '';

/**
 * A SNOMED CT display without the semantic tag that ends it ("Anemia (disorder)" → "Anemia"), as a problem list
 * reads it; written here apart from the app's own, so the tests check the app's against it.
 */
export const withoutSemanticTag = (display: string) => display.replace(/ \([a-z ]+\)$/, '');

export async function latestBloodPressure(patient: string): Promise<{ systolic: number; diastolic: number }> {
  const panels = (
    await searchAll<Observation>(`Observation?patient=${patient}&code=85354-9&_count=200`)
  ).filter(isFinal);
  const latest = newest(panels);
  if (!latest) throw new Error(`no blood pressure for ${patient}`);
  const comp = (code: string) => latest.component?.find((c) => hasCode(c.code, code))?.valueQuantity?.value;
  const systolic = comp('8480-6');
  const diastolic = comp('8462-4');
  if (systolic === undefined || diastolic === undefined) throw new Error('incomplete blood pressure panel');
  return { systolic: Math.round(systolic), diastolic: Math.round(diastolic) };
}

/** The newest lab result of each test, keeping those the EHR flagged abnormal. */
export async function flaggedLabs(patient: string): Promise<{ label: string; flag: string }[]> {
  const labs = (
    await searchAll<Observation>(`Observation?patient=${patient}&category=laboratory&_count=500`)
  ).filter(isFinal);
  const byCode = new Map<string, Observation[]>();
  for (const o of labs) {
    const key = o.code.coding?.[0]?.code ?? label(o.code);
    byCode.set(key, [...(byCode.get(key) ?? []), o]);
  }
  const out: { label: string; flag: string }[] = [];
  for (const list of byCode.values()) {
    const latest = newest(list)!;
    const flag = latest.interpretation?.[0]?.coding?.[0]?.code;
    // The chart titles common tests by their short clinical name.
    const short = labShortName(latest.code.coding?.find((c) => c.system === 'http://loinc.org')?.code);
    if (flag && ['H', 'L', 'HH', 'LL'].includes(flag)) out.push({ label: short ?? label(latest.code), flag });
  }
  return out;
}

export async function conditions(patient: string): Promise<{ active: string[]; resolved: string[] }> {
  const all = await searchAll<Condition>(`Condition?patient=${patient}&_count=200`);
  const status = (c: Condition) => c.clinicalStatus?.coding?.[0]?.code ?? '';
  const notError = (c: Condition) => c.verificationStatus?.coding?.[0]?.code !== 'entered-in-error';
  return {
    active: all
      .filter((c) => notError(c) && ['active', 'recurrence', 'relapse'].includes(status(c)))
      .map((c) => label(c.code)),
    resolved: all
      .filter((c) => notError(c) && ['resolved', 'inactive', 'remission'].includes(status(c)))
      .map((c) => label(c.code)),
  };
}
