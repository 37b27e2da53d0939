import 'server-only';
import { z } from 'zod';
import { mapConditions } from '../chart/conditions';
import { mapLabs } from '../chart/labs';
import {
  CHART_RANGES,
  type ChartPayload,
  type ChartPeriod,
  type ChartRange,
  type ChartWarning,
} from '../chart/types';
import { mapVitals } from '../chart/vitals';
import { AppError } from '../errors';
import { fetchConditions, fetchObservations, fetchPatient } from '../fhir/chart-data';
import { jsonError } from '../http/responses';
import { withLaunch, type RouteDeps } from './launch-guard';

/**
 * The chart's data routes: each fetches through the vendor adapter, maps to a
 * chart model, and is disclosed only after the audit record is committed
 * (withLaunch). Ranges are parsed strictly; anything else is a 400.
 */

const RangeSchema = z.enum(CHART_RANGES as [ChartRange, ...ChartRange[]]).default('1y');

function parseRange(req: Request): ChartRange | undefined {
  const r = RangeSchema.safeParse(new URL(req.url).searchParams.get('range') ?? undefined);
  return r.success ? r.data : undefined;
}

function payload<T>(data: T, warnings: readonly ChartWarning[], period?: ChartPeriod): ChartPayload<T> {
  return { data, warnings, fetchedAt: new Date().toISOString(), ...(period ? { period } : {}) };
}

export function patientRoute(req: Request, launchId: string, deps: RouteDeps): Promise<Response> {
  return withLaunch(req, launchId, deps, async ({ fhir }) => {
    const { patient, warnings, queries } = await fetchPatient(fhir);
    return {
      body: payload(patient, warnings),
      disclosure: {
        action: 'patient-read',
        resourceTypes: ['Patient'],
        resourceRefs: [`Patient/${fhir.patientId}`],
        query: queries.join('\n'),
      },
    };
  });
}

export async function observationsRoute(
  req: Request,
  launchId: string,
  deps: RouteDeps,
  kind: 'vitals' | 'labs',
): Promise<Response> {
  const range = parseRange(req);
  if (!range) return jsonError(new AppError('bad-request', 'The date range must be one of 1y, 5y or all.'));
  return withLaunch(req, launchId, deps, async ({ fhir }) => {
    const now = new Date(deps.now?.() ?? Date.now());
    // The patient is read alongside: lab reference ranges can depend on sex and age, and a
    // deceased patient's range ends at the last data (then read again, rarely).
    const category = kind === 'vitals' ? 'vital-signs' : 'laboratory';
    const [patient, first] = await Promise.all([
      fetchPatient(fhir, now),
      fetchObservations(fhir, category, range, now),
    ]);
    const result = patient.patient.deceased
      ? await fetchObservations(fhir, category, range, now, { deceased: true })
      : first;
    const data =
      kind === 'vitals'
        ? mapVitals(result.resources)
        : mapLabs(result.resources, { gender: patient.patient.gender, birthDate: patient.patient.birthDate });
    return {
      body: payload(data, result.warnings, result.period),
      disclosure: {
        action: 'patient-query',
        resourceTypes: ['Observation', 'Patient'],
        query: [...(result === first ? [] : first.queries), ...result.queries, ...patient.queries].join('\n'),
        detail: category,
      },
    };
  });
}

export function problemsRoute(req: Request, launchId: string, deps: RouteDeps): Promise<Response> {
  return withLaunch(req, launchId, deps, async ({ fhir }) => {
    const result = await fetchConditions(fhir);
    return {
      body: payload(mapConditions(result.resources), result.warnings),
      disclosure: {
        action: 'patient-query',
        resourceTypes: ['Condition'],
        query: result.queries.join('\n'),
        detail: 'problems',
      },
    };
  });
}
