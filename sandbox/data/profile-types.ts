/** The shape of one synthetic patient: who they are and what their record should show. */
import type { LabKey } from './catalog';

export type VitalsKind = 'adult' | 'child' | 'newborn';

export interface ConditionSpec {
  readonly snomed: string;
  readonly display: string;
  readonly clinical: 'active' | 'recurrence' | 'relapse' | 'inactive' | 'remission' | 'resolved';
  readonly verification: 'confirmed' | 'provisional' | 'unconfirmed' | 'differential';
  readonly category: 'problem-list-item' | 'encounter-diagnosis' | 'health-concern';
  readonly onsetDaysAgo: number;
  readonly abatementDaysAgo?: number;
}

export interface LabPlan {
  readonly keys: readonly LabKey[];
  /** Labs are drawn at every n-th visit. */
  readonly everyVisits: number;
  /** Shift of the mean per lab (in the lab's unit), e.g. raised HbA1c. */
  readonly shift?: Partial<Record<LabKey, number>>;
  /** Exact values at given lab draws (index from the first draw), to show flags on purpose. */
  readonly forced?: readonly { readonly draw: number; readonly key: LabKey; readonly value: number }[];
}

export interface PatientProfile {
  readonly id: string;
  readonly given: string;
  readonly family: string;
  readonly gender: 'male' | 'female';
  /** The birth date at the default anchor (./time.ts). */
  readonly birthDate: string;
  /**
   * The birth date moves with the anchor, as the visits do, so the patient is
   * as old on every start as at the default anchor: the newborn stays a
   * newborn and the child a child.
   */
  readonly keepsAge?: true;
  readonly description: string;
  readonly practitioner: 'sbx-dr-lee' | 'sbx-dr-okafor';
  readonly deceasedDaysAgo?: number;
  /** The death certificate's cause, recorded three days after death. */
  readonly causeOfDeath?: { readonly snomed: string; readonly display: string };
  readonly vitalsKind: VitalsKind;
  /** Days before the anchor on which vitals are taken, oldest first. */
  readonly visitDays: readonly number[];
  readonly encounters: boolean;
  readonly baseline: {
    readonly systolic: number;
    readonly diastolic: number;
    readonly heartRate: number;
    readonly weightKg: number;
    readonly heightCm: number;
    /** Change over the whole record (first to last visit). */
    readonly systolicDrift?: number;
    readonly weightDriftKg?: number;
  };
  readonly labs?: LabPlan;
  readonly conditions: readonly ConditionSpec[];
  readonly smoking?: 'never' | 'former' | 'current';
  readonly quirks?: {
    /** Every n-th weight is recorded in pounds. */
    readonly poundsEvery?: number;
    /** Every n-th temperature is recorded in Fahrenheit. */
    readonly fahrenheitEvery?: number;
    /** Every n-th glucose is reported in mmol/L. */
    readonly molarGlucoseEvery?: number;
    /** Number of lab results later marked entered-in-error. */
    readonly enteredInError?: number;
    /**
     * From this point of the record on (0 the first visit, 1 the last), saturations are taken on oxygen by nasal
     * cannula, its flow in the reading's component as US Core's pulse oximetry profile gives it.
     */
    readonly oxygenFrom?: { readonly progress: number; readonly litresPerMinute: number };
  };
}

/** Visit days every `step` days over `span` days, with deterministic jitter supplied by the caller. */
export function everyDays(span: number, step: number): number[] {
  const days: number[] = [];
  for (let d = span; d >= 1; d -= step) {
    days.push(d);
  }
  return days;
}
