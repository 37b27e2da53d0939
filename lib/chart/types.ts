/**
 * Chart models: what the server routes hand the browser. Pure data, no FHIR
 * resource shapes, no tokens. Produced by the mappers in lib/chart from
 * standard R4 resources; consumed by the widgets in components/chart.
 */

/** Date range the chart asks for. */
export type ChartRange = '1y' | '5y' | 'all';
export const CHART_RANGES: readonly ChartRange[] = ['1y', '5y', 'all'];

/** Something the EHR withheld, refused, or that the app could not fetch. */
export interface ChartWarning {
  /** Which FHIR resource type the warning is about. */
  readonly resourceType: 'Patient' | 'Observation' | 'Condition';
  /**
   * withheld: the EHR said (OperationOutcome in the Bundle) it left data out;
   * not-offered: the EHR refused a category/search as unsupported (e.g. 400);
   * failed: a search failed (timeout, 5xx, 403) and its data is missing;
   * truncated: the page cap cut the results;
   * another-patient: the EHR's answer named another patient, and those entries were left out;
   * unreadable: entries of the EHR's answer held no resource, and were left out.
   */
  readonly kind: 'withheld' | 'not-offered' | 'failed' | 'truncated' | 'another-patient' | 'unreadable';
  /** Search category when relevant, e.g. "encounter-diagnosis", "laboratory". */
  readonly category?: string;
  /** A sentence a clinician can read. Never contains PHI or tokens. */
  readonly message: string;
}

/** The period a vitals or labs payload covers, and what lies outside it. */
export interface ChartPeriod {
  /** First day shown (ISO date); absent for the whole record. */
  readonly start?: string;
  /**
   * Set when the period ends at the last data instead of today (ISO instant of
   * that data): the patient died, or the chosen range held nothing.
   */
  readonly endsAtLastData?: { readonly at: string; readonly reason: 'deceased' | 'nothing-recent' };
  /** Date of the record's oldest result, when known. */
  readonly recordStart?: string;
  /** Results before this day were not loaded (too many to read at once). */
  readonly notLoadedBefore?: string;
}

/** Envelope of every chart data route. */
export interface ChartPayload<T> {
  readonly data: T;
  readonly warnings: readonly ChartWarning[];
  /** ISO instant the server assembled the payload. */
  readonly fetchedAt: string;
  /** Vitals and labs only: the period the data covers. */
  readonly period?: ChartPeriod;
}

export interface PatientSummary {
  /** Logical id at the EHR. */
  readonly id: string;
  /** Display name ("Family, Given Middle"), "Unknown" when absent. */
  readonly name: string;
  readonly birthDate?: string;
  /** Administrative gender as given (male | female | other | unknown): the sex the EHR keeps for records. */
  readonly gender?: string;
  /** US Core birth sex, when the EHR records it as female or male. */
  readonly birthSex?: 'female' | 'male';
  readonly mrn?: string;
  /** The MRN identifier's system, when the EHR gives one. */
  readonly mrnSystem?: string;
  readonly deceased: boolean;
  readonly deceasedDateTime?: string;
}

/** A deceased patient's cause of death as recorded on the death certificate. */
export interface CauseOfDeath {
  /** Each cause once, the immediate cause first where the EHR numbers the certificate's lines. */
  readonly causes: readonly string[];
  /** Only preliminary records say so. */
  readonly preliminary: boolean;
}

/** The banner's data: the patient, and for a deceased patient the recorded cause of death, if any. */
export interface BannerModel extends PatientSummary {
  readonly causeOfDeath?: CauseOfDeath;
}

export type VitalKind =
  | 'blood-pressure'
  | 'heart-rate'
  | 'respiratory-rate'
  | 'temperature'
  | 'spo2'
  | 'weight'
  | 'height'
  | 'bmi'
  | 'head-circumference'
  | 'pain';

export interface Quantity {
  readonly value: number;
  /** UCUM code when known, else the unit text. */
  readonly unit: string;
}

/**
 * The oxygen a patient was given when a saturation was taken, as the reading's components say (US Core Pulse
 * Oximetry: LOINC 3151-8 inhaled oxygen flow rate, 3150-0 inhaled oxygen concentration). Absent: not said, which
 * is not the same as room air.
 */
export interface SupplementalOxygen {
  /** L/min. */
  readonly flow?: number;
  /** %, the inspired fraction. */
  readonly concentration?: number;
}

/** A value the instrument could only bound ("< 70 %" at an oximeter's floor), as FHIR's Quantity.comparator. */
export type Comparator = '<' | '<=' | '>=' | '>';

/**
 * A result released before it was verified (Observation.status preliminary): shown, and marked so wherever it is.
 * Absent for a final, amended or corrected one.
 */
export type ResultStatus = 'preliminary';

export interface VitalPoint {
  readonly observationId: string;
  /** ISO date-time (effectiveDateTime or effectivePeriod.start). */
  readonly time: string;
  /** Value in the series' display unit; with `comparator`, the bound the reading is known to lie beyond. */
  readonly value: number;
  /** The reading is only known to be beyond `value` ("< 70"): never drawn or judged as exact. */
  readonly comparator?: Comparator;
  readonly status?: ResultStatus;
  /** The value as the EHR sent it, when it was converted. */
  readonly original?: Quantity;
  /** A saturation's oxygen, where the EHR sent it. */
  readonly oxygen?: SupplementalOxygen;
}

export interface VitalSeries {
  readonly kind: Exclude<VitalKind, 'blood-pressure'>;
  readonly loinc: string;
  readonly label: string;
  /** UCUM unit of every point's value. */
  readonly unit: string;
  /** Normal band for the patient's age (and sex) at the latest reading, where a source defines one. */
  readonly band?: { readonly low?: number; readonly high?: number };
  /** The band's source, shown as its legend. */
  readonly bandSource?: string;
  /**
   * Present when the band is not the same for every reading (readings from childhood, or
   * across the 18th birthday): runs of readings judged against one band, oldest first. A run
   * holds from its first reading until the next run; readings before the first run and runs
   * without low and high have no band. Absent: `band` holds for every reading.
   */
  readonly bandRuns?: readonly BandRun[];
  /** Oldest first. */
  readonly points: readonly VitalPoint[];
  /**
   * Readings of this vital left out because their unit could not be read (lib/chart/ucum.ts): the latest point may
   * not be the latest reading. Absent when none was.
   */
  readonly unreadable?: number;
}

/** A vital's normal band for the readings from `from` (ISO date-time) until the next run. */
export interface BandRun {
  readonly from: string;
  readonly low?: number;
  readonly high?: number;
}

export interface BloodPressurePoint {
  readonly observationId: string;
  readonly time: string;
  /** mm Hg; with `systolicComparator`, the bound the systolic is known to lie beyond. */
  readonly systolic?: number;
  /** mm Hg; with `diastolicComparator`, the bound the diastolic is known to lie beyond. */
  readonly diastolic?: number;
  /**
   * The systolic is only known to be beyond `systolic` ("> 250" where a device's range ends): never drawn or judged
   * as exact, nor is the reading.
   */
  readonly systolicComparator?: Comparator;
  /** The diastolic is only known to be beyond `diastolic` ("< 40"), as `systolicComparator`. */
  readonly diastolicComparator?: Comparator;
  /** Preliminary where either value was. */
  readonly status?: ResultStatus;
}

/**
 * Where stage 2 begins for a blood pressure (at or over either value, mm Hg), and whose: the 2017 AAP guideline's
 * under 18, the 2017 ACC/AHA guideline's stage 2 hypertension from 18.
 */
export interface Stage2Limits {
  readonly systolic: number;
  readonly diastolic: number;
  readonly guideline: 'AAP 2017' | 'ACC/AHA 2017';
}

/** Blood-pressure limits (normal below each, mm Hg) for the readings from `from` until the next run. */
export interface BpLimitRun {
  readonly from: string;
  readonly systolic?: number;
  readonly diastolic?: number;
  /** From 1 year: where stage 2 begins (at or over either value), lib/chart/vital-bands.ts. */
  readonly stage2?: Stage2Limits;
}

export interface BloodPressureSeries {
  readonly kind: 'blood-pressure';
  readonly loinc: '85354-9';
  readonly label: string;
  readonly unit: 'mm[Hg]';
  /** Why no limits are drawn at the latest reading (under 1 year, or a child whose sex the record does not give). */
  readonly bandNote?: string;
  /** Normal limits for the systolic and the diastolic line at the latest reading: normal is below each. */
  readonly bands?: {
    readonly systolic: { readonly low?: number; readonly high?: number };
    readonly diastolic: { readonly low?: number; readonly high?: number };
  };
  /** The bands' source, shown as their legend. */
  readonly bandSource?: string;
  /** At the latest reading: where stage 2 begins (at or over either value). */
  readonly stage2?: Stage2Limits;
  /**
   * Present when the limits are not the same for every reading (readings under 18, where they
   * follow age and height): runs of readings judged against one pair of limits, oldest first. A
   * run holds from its first reading until the next; runs without limits have none. Absent:
   * `bands` holds for every reading.
   */
  readonly limitRuns?: readonly BpLimitRun[];
  /** Oldest first. */
  readonly points: readonly BloodPressurePoint[];
  /** Readings left out because their unit could not be read, as VitalSeries.unreadable. */
  readonly unreadable?: number;
}

export type AnyVitalSeries = VitalSeries | BloodPressureSeries;

/** A vital the EHR sent readings of, none of which could be read (their units were not recognised). */
export interface UnreadableVital {
  readonly kind: VitalKind;
  /** The vital's first LOINC code, as its series would carry it (what names it in the patient's words). */
  readonly loinc: string;
  readonly label: string;
  readonly count: number;
}

export interface VitalsModel {
  /** One series per kind that has at least one point, in VitalKind order. */
  readonly series: readonly AnyVitalSeries[];
  /** Vitals with readings but no series, since none of them could be read (VitalKind order); absent when none. */
  readonly unreadableOnly?: readonly UnreadableVital[];
  /** The patient's date of death as the EHR gives it: readings dated after it are errors the chart points out. */
  readonly diedAt?: string;
}

/** HL7 v3 ObservationInterpretation codes the chart shows. */
/** HL7's interpretation: high, low, critically high or low, abnormal, critically abnormal (AA), normal. */
export type LabFlag = 'H' | 'L' | 'HH' | 'LL' | 'A' | 'AA' | 'N';

export interface ReferenceRange {
  readonly low?: number;
  readonly high?: number;
  /** The bound is outside the range: "> 59" read from the EHR's text (boundsFromText). */
  readonly lowExclusive?: true;
  readonly highExclusive?: true;
  readonly unit?: string;
  /** referenceRange.text as the EHR wrote it (shown when there are no numbers). */
  readonly text?: string;
  /** The bounds were read from `text`, the EHR sent no numbers. */
  readonly fromText?: true;
  /** Whom the range is for, from appliesTo/age: "Female", "age 0–12 a". */
  readonly qualifier?: string;
  /** The range as the EHR gave it, when it was converted into the result's unit. */
  readonly original?: {
    readonly low?: number;
    readonly high?: number;
    readonly lowExclusive?: true;
    readonly highExclusive?: true;
    readonly unit: string;
  };
}

export interface LabResult {
  readonly observationId: string;
  readonly time: string;
  readonly value?: number;
  /**
   * valueString / valueCodeableConcept text, for non-numeric results; a bounded one as the lab wrote it ("> 600
   * mg/dL"); beside `value` where the number itself was sent as text ("27").
   */
  readonly valueText?: string;
  readonly unit?: string;
  readonly original?: Quantity;
  readonly range?: ReferenceRange;
  readonly flag?: LabFlag;
  /** Preliminary: released before the lab verified it (the EHR's flag is kept). Absent for a final result. */
  readonly status?: ResultStatus;
  /** ehr: the EHR's interpretation; computed: from value vs. range. */
  readonly flagSource?: 'ehr' | 'computed';
  /** dataAbsentReason display, when there is no value. */
  readonly absentReason?: string;
  /**
   * Decimals the value is shown with where its analyte's convention would round it across a bound of its range
   * (a magnesium of 0.66 beside 0.70–1.00 is "0.66", not "0.7", which reads as in the range); absent otherwise.
   */
  readonly decimals?: number;
  /**
   * Why the value cannot be ("below zero", "over 100 %": lib/chart/lab-possible.ts): an error in the record, never
   * judged against the range (the EHR's own flag is kept) nor drawn in the trend.
   */
  readonly impossible?: string;
}

export interface LabGroup {
  /** Grouping key: "system|code" of the first coding, or the text. */
  readonly key: string;
  /** Short clinical name ("LDL cholesterol") for common tests, else the EHR's. */
  readonly label: string;
  /** The EHR's name, when the label is a shorter one. */
  readonly fullName?: string;
  readonly loinc?: string;
  readonly latest: LabResult;
  /** Newest first; includes latest. */
  readonly history: readonly LabResult[];
}

export interface LabsModel {
  /** Abnormal latest first, then by label. */
  readonly groups: readonly LabGroup[];
  /** The patient's date of death as the EHR gives it: results dated after it are errors the chart points out. */
  readonly diedAt?: string;
}

export interface ProblemRow {
  readonly id: string;
  readonly label: string;
  readonly code?: string;
  /** Condition.clinicalStatus code: active | recurrence | relapse | inactive | remission | resolved. */
  readonly clinicalStatus?: string;
  /** A clinical status in the vendor's own codes only, by its label. */
  readonly clinicalStatusText?: string;
  /** Condition.verificationStatus code (condition-ver-status). */
  readonly verificationStatus?: string;
  /**
   * Condition.category: the standard categories' codes (problem-list-item, encounter-diagnosis, health-concern,
   * sdoh); where there is none, the vendor's categories by their labels ("Medical").
   */
  readonly categories: readonly string[];
  readonly onset?: string;
  readonly abatement?: string;
  /** Of several records of the problem, the earliest recorded date; `lastRecordedDate` the latest when it differs. */
  readonly recordedDate?: string;
  readonly lastRecordedDate?: string;
  /** How many of the EHR's Conditions this row stands for, when more than one (the same code and statuses). */
  readonly records?: number;
  /** clinicalStatus in active | recurrence | relapse, and not refuted or entered in error. */
  readonly active: boolean;
}

export interface ProblemsModel {
  /** Active first, then the rest; newest onset first within each. */
  readonly problems: readonly ProblemRow[];
}

/** Consecutive answers of one smoking status, as recorded (e.g. at each visit). */
export interface SmokingRun {
  /** The answer as the EHR labels it ("Former smoker", "Never smoker"). */
  readonly status: string;
  /** The first and the last time it was recorded in this run. */
  readonly first: string;
  readonly last: string;
  readonly count: number;
}

export interface SmokingModel {
  /** Oldest first; the last run holds the latest answer. */
  readonly runs: readonly SmokingRun[];
  /** The latest answer is then what it was at the end of life, not one that went stale. */
  readonly deceased: boolean;
}

export type GrowthMeasureId = 'weight' | 'length' | 'weight-length' | 'head' | 'bmi';

export interface GrowthPoint {
  readonly observationId: string;
  readonly time: string;
  /** Age at the measurement in months (days / 30.4375). */
  readonly ageMonths: number;
  /** The same age by the calendar, as clinicians write it ("12 months", "7 years"), on the reading's UTC day. */
  readonly age: string;
  /** In the chart's unit. */
  readonly value: number;
  readonly status?: ResultStatus;
  /** Weight-for-length: the length measured the same day, in cm (the chart's x). */
  readonly length?: number;
  /** Against the reference for age (or length) and sex; absent when no reference applies. */
  readonly z?: number;
  /** 0–100, from z. */
  readonly percentile?: number;
}

export interface GrowthCurve {
  /** 3, 10, 25, 50, 75, 90, 97. */
  readonly percentile: number;
  /** [x, value], ascending by x: age in months, or length in cm on a weight-for-length chart. */
  readonly points: readonly (readonly [number, number])[];
}

export interface GrowthChartModel {
  readonly measure: GrowthMeasureId;
  readonly label: string;
  /** UCUM unit of values and curves. */
  readonly unit: string;
  readonly loinc: string;
  /** What x is: age in months when absent; `length` (cm, the points' `length`) for weight-for-length. */
  readonly xAxis?: 'length';
  /** The reference(s) drawn, e.g. "WHO 2006 (0–2 years), CDC 2000 (2–20 years)". */
  readonly source?: string;
  /** Where the drawn span changes reference (24 months: WHO to CDC); the curves are not joined across it. */
  readonly referenceChange?: number;
  /** Oldest first; only ages the reference covers. */
  readonly points: readonly GrowthPoint[];
  readonly curves: readonly GrowthCurve[];
  /** Readings that cannot be (lib/chart/possible.ts): neither drawn nor given a percentile; the vital's table lists them. */
  readonly notPossible?: number;
}

export interface GrowthModel {
  /** The patient is under 20 today: the chart shows growth. */
  readonly shown: boolean;
  /** Why percentiles are missing, when they are (e.g. sex not recorded). */
  readonly note?: string;
  /** The patient's birth date, for each reading's age on its day where the chart is read. */
  readonly birthDate?: string;
  readonly charts: readonly GrowthChartModel[];
}
