'use client';

import { type RefObject, useRef } from 'react';
import type { BannerModel } from '@/lib/chart/types';
import { DEFAULT_RANGE, WIDGET_SPECS } from '@/lib/chart/widgets';
import { useWidgetData } from './api/widget-query';
import { useReportView } from './api/report-view';
import { WidgetErrorBoundary } from './error-boundary';
import { ageOn, formatDate } from './format';
import { Warnings } from './warnings';
import { useRetry, WidgetError, WidgetSkeleton } from './widget-states';
import { useDisplayZone } from './display-zone';

interface Props {
  readonly launchId: string;
  /** From the launch context: false when the EHR already shows its own patient banner. */
  readonly needPatientBanner: boolean;
  readonly userLabel: string;
  readonly ehrLabel: string;
  /** Patient id of the launch context; a summary for anyone else is refused. */
  readonly patientId?: string;
  /** Names the banner's error boundary. */
  readonly title: string;
}

const SEX_LABELS: Readonly<Record<string, string>> = {
  female: 'Female',
  male: 'Male',
  other: 'Other',
  unknown: 'Unknown',
};

function Field({ term, children }: { readonly term: string; readonly children: string }) {
  return (
    <div className="flex gap-1">
      <dt className="text-muted">{term}</dt>
      <dd className="font-medium">{children}</dd>
    </div>
  );
}

function BannerContent({
  patient,
  headingRef,
}: {
  readonly patient: BannerModel;
  /** Focused after a retry that succeeded (`useRetry`). */
  readonly headingRef: RefObject<HTMLHeadingElement | null>;
}) {
  const zone = useDisplayZone();
  // Today, or a deceased patient's day of death, where the chart is read; no age when the EHR says the
  // patient died but not when (today's would be the age of someone alive).
  const age = patient.deceased
    ? patient.deceasedDateTime && ageOn(patient.birthDate, patient.deceasedDateTime, zone)
    : ageOn(patient.birthDate, new Date().toISOString(), zone);
  const ageText = age ? ` (${age}${patient.deceased ? ' at death' : ''})` : '';
  return (
    <div className="flex flex-col gap-1">
      <div className="flex flex-wrap items-center gap-2">
        <h1 ref={headingRef} tabIndex={-1} className="text-xl font-bold break-words">
          {patient.name}
        </h1>
        {patient.deceased ? (
          <span className="badge badge-deceased">
            <span aria-hidden="true">✝ </span>Deceased
            {patient.deceasedDateTime === undefined ? '' : ` ${formatDate(patient.deceasedDateTime, zone)}`}
          </span>
        ) : null}
      </div>
      <dl className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
        <Field term="Born">
          {patient.birthDate === undefined ? 'Unknown' : `${formatDate(patient.birthDate)}${ageText}`}
        </Field>
        {/* Patient.gender is the sex kept for records (Epic's "legal sex"), which need not be the sex at birth. */}
        <Field term="Legal sex">
          {patient.gender === undefined ? 'Unknown' : (SEX_LABELS[patient.gender] ?? patient.gender)}
        </Field>
        {patient.birthSex === undefined || patient.birthSex === patient.gender ? null : (
          <Field term="Sex at birth">{SEX_LABELS[patient.birthSex] ?? patient.birthSex}</Field>
        )}
        <Field term="MRN">{patient.mrn ?? 'Not available'}</Field>
        {patient.deceased && patient.causeOfDeath ? (
          <Field term="Cause of death">
            {`${patient.causeOfDeath.causes.join('; ')}${patient.causeOfDeath.preliminary ? ' (preliminary)' : ''}`}
          </Field>
        ) : null}
      </dl>
    </div>
  );
}

function BannerBody({
  launchId,
  patientId,
}: {
  readonly launchId: string;
  readonly patientId: string | undefined;
}) {
  const query = useWidgetData<BannerModel>(launchId, WIDGET_SPECS.banner, DEFAULT_RANGE);
  const mismatch = query.isSuccess && patientId !== undefined && query.data.data.id !== patientId;
  useReportView(launchId, WIDGET_SPECS.banner.id, query.isSuccess && !mismatch);
  // The patient's name takes focus from a Retry that succeeded.
  const heading = useRef<HTMLHeadingElement>(null);
  const retry = useRetry(query, heading);
  // Until the name is known the page still needs its top-level heading.
  if (query.isPending && !retry.failed)
    return (
      <div className="grow">
        <h1 className="sr-only">Patient chart</h1>
        <WidgetSkeleton label="Loading patient" rows={2} />
      </div>
    );
  if (query.isPending || query.isError)
    return (
      <div className="grow">
        <h1 className="sr-only">Patient chart</h1>
        <WidgetError
          error={retry.error}
          what="Patient details"
          onRetry={retry.onRetry}
          retrying={retry.retrying}
        />
      </div>
    );
  if (mismatch)
    return (
      <div role="alert" className="grow">
        <h1 className="text-xl font-bold">Patient mismatch</h1>
        <p>
          The patient sent by the server is not the patient of this launch. Relaunch the app from your EHR.
        </p>
      </div>
    );
  return (
    <>
      <Warnings warnings={query.data.warnings} />
      <BannerContent patient={query.data.data} headingRef={heading} />
    </>
  );
}

/** Who the chart is about, and who is looking at it from which EHR. */
export function PatientBanner({ launchId, needPatientBanner, userLabel, ehrLabel, patientId, title }: Props) {
  if (!needPatientBanner) return null;
  return (
    <header
      aria-label="Patient"
      className="banner flex flex-col gap-2 sm:flex-row sm:items-start sm:justify-between"
    >
      <WidgetErrorBoundary name={title}>
        <BannerBody launchId={launchId} patientId={patientId} />
      </WidgetErrorBoundary>
      <p className="text-xs text-muted">
        Signed in as <span className="font-medium">{userLabel}</span> · {ehrLabel}
      </p>
    </header>
  );
}
