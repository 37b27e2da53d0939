import 'server-only';
import type { Observation } from '@medplum/fhirtypes';
import type { PatientIdentity } from '../audit/types';
import { ageInYears } from '../chart/age';
import { mapCauseOfDeath } from '../chart/cause-of-death';
import { mapConditions } from '../chart/conditions';
import { mapGrowth } from '../chart/growth';
import { mapLabs } from '../chart/labs';
import { mapSmokingStatus } from '../chart/smoking';
import type { BannerModel, ChartPeriod, ChartRange, ChartWarning, PatientSummary } from '../chart/types';
import { mapVitals, observationTime } from '../chart/vitals';
import { WIDGET_SPECS, type WidgetId, type WidgetSpec } from '../chart/widgets';
import {
  fetchCauseOfDeath,
  fetchConditions,
  fetchObservations,
  fetchPatient,
  fetchSmokingStatus,
  stoppableReads,
  type ObservationsResult,
} from '../fhir/chart-data';
import { decodedId } from '../fhir/id';
import type { FhirContext } from '../fhir/types';
import type { ObservationCategory } from '../fhir/vendors';
import type { Disclosure } from './launch-guard';

/** What a widget's FHIR read returned, with what was asked (for the audit record). */
export interface WidgetRead<R> {
  readonly result: R;
  readonly warnings: readonly ChartWarning[];
  readonly queries: readonly string[];
  readonly period?: ChartPeriod;
}

/**
 * The server half of a chart widget: how its data is read from the EHR, how it
 * becomes a chart model, and what the audit record says it disclosed.
 */
export interface ServerWidget<R = unknown> extends WidgetSpec {
  read(fhir: FhirContext, input: { readonly range: ChartRange; readonly now: Date }): Promise<WidgetRead<R>>;
  map(result: R): unknown;
  /**
   * The audit record of the widget's searches: action, resource types searched and detail.
   * Each query the read made becomes a record of its own (see widgetDisclosures).
   */
  disclosure(fhir: FhirContext, result: R): Omit<Disclosure, 'query'>;
}

/** A plain FHIR read, `Type/id`, as the fetchers record it. */
const READ = /^([A-Z][A-Za-z]+)\/([^/?#]+)$/;

/**
 * One audit record per FHIR interaction, as IHE BALP describes them: a read of
 * `Type/id` is a PatientRead naming that resource, each search a PatientQuery
 * carrying its own query; all share the widget's detail, so the console files
 * them under the widget's data category. A read that made no query at all
 * still leaves the declared record: nothing is disclosed unrecorded.
 */
export function widgetDisclosures(
  declared: Omit<Disclosure, 'query'>,
  queries: readonly string[],
): Disclosure[] {
  if (queries.length === 0) return [declared];
  return queries.map((query) => {
    const read = READ.exec(query);
    if (!read) return { ...declared, query };
    const [, type = '', id = ''] = read;
    return {
      action: 'patient-read',
      resourceTypes: [type],
      resourceRefs: [`${type}/${decodedId(id)}`],
      ...(declared.detail !== undefined ? { detail: declared.detail } : {}),
      ...(declared.patientIdentity ? { patientIdentity: declared.patientIdentity } : {}),
      query,
    };
  });
}

/** Widgets by id; lib/api/chart-handlers.ts and prefetch.ts take any such registry. */
export type ServerWidgets = Readonly<Record<string, ServerWidget>>;

/** Who the patient is, for the sealed audit record and the console's patient finder. */
function identityOf(p: PatientSummary): PatientIdentity {
  return {
    ...(p.name !== 'Unknown' ? { name: p.name } : {}),
    ...(p.birthDate ? { birthDate: p.birthDate } : {}),
    ...(p.mrn ? { mrn: { value: p.mrn, ...(p.mrnSystem ? { system: p.mrnSystem } : {}) } } : {}),
  };
}

interface ObservationsRead {
  readonly resources: Observation[];
  readonly patient: PatientSummary;
}

/**
 * A category's Observations. The patient is read alongside: lab reference
 * ranges can depend on sex and age, and a deceased patient's range ends at the
 * last data. The read for a living patient starts beside the Patient; once the
 * Patient says the patient died, it is stopped and the deceased patient's read
 * starts (it used to wait for the first to finish: on an EHR that answers in
 * half a second, eight seconds for a year of vital signs at Epic).
 */
function observationsWidget(
  spec: WidgetSpec,
  category: ObservationCategory,
  map: (r: ObservationsRead) => unknown,
): ServerWidget<ObservationsRead> {
  return {
    ...spec,
    async read(fhir, { range, now }) {
      const living = stoppableReads(fhir);
      const first = fetchObservations(living.ctx, category, range, now);
      // Awaited once the Patient is in; a search that fails before then is not left an unhandled rejection.
      first.catch(() => undefined);
      let patient: Awaited<ReturnType<typeof fetchPatient>>;
      try {
        patient = await fetchPatient(fhir, now);
      } catch (e) {
        living.stop();
        await first.catch(() => undefined);
        throw e;
      }
      let result: ObservationsResult;
      let stopped: string[] = [];
      if (patient.patient.deceased) {
        living.stop();
        [result] = await Promise.all([
          fetchObservations(fhir, category, range, now, { deceased: true }),
          first.catch(() => undefined),
        ]);
        // The stopped read may have failed as it stopped: what it asked the EHR is recorded all the same.
        stopped = living.asked();
      } else {
        result = await first;
      }
      return {
        result: { resources: result.resources, patient: patient.patient },
        warnings: result.warnings,
        period: result.period,
        queries: [...stopped, ...result.queries, ...patient.queries],
      };
    },
    map,
    disclosure: (_fhir, r) => ({
      action: 'patient-query',
      resourceTypes: ['Observation'],
      detail: category,
      patientIdentity: identityOf(r.patient),
    }),
  };
}

/** The time of the latest reading among Observations, if any has one. */
function latestReading(observations: readonly Observation[]): Date | undefined {
  let latest = -Infinity;
  for (const o of observations) {
    const t = Date.parse(observationTime(o) ?? '');
    if (t > latest) latest = t;
  }
  return Number.isFinite(latest) ? new Date(latest) : undefined;
}

interface GrowthRead {
  readonly resources: Observation[];
  readonly patient: PatientSummary;
  /** The time the patient's age is taken at: now, or the end of life of a deceased patient. */
  readonly at: Date;
}

/**
 * Growth reads the patient first and the whole record's vital signs only for a patient under 20, by the age the
 * patient reached: a child who died at 9 is charted as a child whatever the years since. A deceased patient with no
 * date of death is read in full and aged at the last vital sign.
 */
const growthWidget: ServerWidget<GrowthRead> = {
  ...WIDGET_SPECS.growth,
  async read(fhir, { now }) {
    const patient = await fetchPatient(fhir, now);
    const { birthDate, deceased, deceasedDateTime } = patient.patient;
    const died = deceasedDateTime === undefined ? undefined : new Date(deceasedDateTime);
    const diedUndated = deceased && (died === undefined || Number.isNaN(died.getTime()));
    const end = died !== undefined && !diedUndated && died < now ? died : now;
    const age = ageInYears(birthDate, end);
    if (age === undefined || (age >= 20 && !diedUndated))
      return {
        result: { resources: [], patient: patient.patient, at: end },
        warnings: [],
        queries: patient.queries,
      };
    const obs = await fetchObservations(fhir, 'vital-signs', 'all', now);
    const last = diedUndated ? latestReading(obs.resources) : undefined;
    return {
      result: { resources: obs.resources, patient: patient.patient, at: last ?? end },
      warnings: obs.warnings,
      period: obs.period,
      queries: [...obs.queries, ...patient.queries],
    };
  },
  map: (r) => mapGrowth(r.resources, { birthDate: r.patient.birthDate, gender: r.patient.gender }, r.at),
  // An adult's growth read is the Patient alone: its one query is a read, so no record names an Observation.
  disclosure: (_fhir, r) => ({
    action: 'patient-query',
    resourceTypes: ['Observation'],
    detail: 'growth',
    patientIdentity: identityOf(r.patient),
  }),
};

/**
 * Smoking status over the whole record. The patient is read alongside: the
 * latest answer of a living patient is dated against today, a deceased
 * patient's is what it was at the end of life.
 */
const smokingWidget: ServerWidget<ObservationsRead> = {
  ...WIDGET_SPECS.smoking,
  async read(fhir, { now }) {
    const [patient, status] = await Promise.all([fetchPatient(fhir, now), fetchSmokingStatus(fhir)]);
    return {
      result: { resources: status.resources, patient: patient.patient },
      warnings: status.warnings,
      queries: [...status.queries, ...patient.queries],
    };
  },
  map: (r) => mapSmokingStatus(r.resources, r.patient),
  disclosure: (_fhir, r) => ({
    action: 'patient-query',
    resourceTypes: ['Observation'],
    detail: 'smoking',
    patientIdentity: identityOf(r.patient),
  }),
};

interface BannerRead {
  readonly patient: PatientSummary;
  /** Searched for a deceased patient only; undefined for the living. */
  readonly causeOfDeath?: readonly Observation[];
}

/**
 * The patient, and for a deceased patient the cause of death the EHR recorded: the first thing a clinician reviewing
 * that chart asks. The living are read as before, the Patient alone.
 */
const bannerWidget: ServerWidget<BannerRead> = {
  ...WIDGET_SPECS.banner,
  async read(fhir, { now }) {
    const read = await fetchPatient(fhir, now);
    if (!read.patient.deceased)
      return { result: { patient: read.patient }, warnings: read.warnings, queries: read.queries };
    const cause = await fetchCauseOfDeath(fhir);
    return {
      result: { patient: read.patient, causeOfDeath: cause.resources },
      warnings: [...read.warnings, ...cause.warnings],
      queries: [...cause.queries, ...read.queries],
    };
  },
  map: ({ patient, causeOfDeath }): BannerModel => {
    const cause = causeOfDeath && mapCauseOfDeath(causeOfDeath);
    return cause ? { ...patient, causeOfDeath: cause } : patient;
  },
  // The cause-of-death search is a query of the banner's; the Patient read stays a read (widgetDisclosures).
  disclosure: (fhir, r) =>
    r.causeOfDeath === undefined
      ? {
          action: 'patient-read',
          resourceTypes: ['Patient'],
          resourceRefs: [`Patient/${fhir.patientId}`],
          patientIdentity: identityOf(r.patient),
        }
      : {
          action: 'patient-query',
          resourceTypes: ['Observation'],
          detail: 'banner',
          patientIdentity: identityOf(r.patient),
        },
};

export const SERVER_WIDGETS: { readonly [I in WidgetId]: ServerWidget } = {
  banner: bannerWidget,
  vitals: observationsWidget(WIDGET_SPECS.vitals, 'vital-signs', (r) =>
    mapVitals(r.resources, {
      birthDate: r.patient.birthDate,
      gender: r.patient.gender,
      deceasedDateTime: r.patient.deceasedDateTime,
    }),
  ),
  labs: observationsWidget(WIDGET_SPECS.labs, 'laboratory', (r) =>
    mapLabs(r.resources, {
      gender: r.patient.gender,
      birthDate: r.patient.birthDate,
      deceasedDateTime: r.patient.deceasedDateTime,
    }),
  ),
  problems: {
    ...WIDGET_SPECS.problems,
    read: (fhir) => fetchConditions(fhir).then((r) => ({ ...r, result: r.resources })),
    map: mapConditions,
    disclosure: () => ({ action: 'patient-query', resourceTypes: ['Condition'], detail: 'problems' }),
  },
  smoking: smokingWidget,
  growth: growthWidget,
};
