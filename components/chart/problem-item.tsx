import type { ProblemRow } from '@/lib/chart/types';
import { useDisplayZone } from './display-zone';
import { formatDate } from './format';

const CATEGORY_LABELS: Readonly<Record<string, string>> = {
  'problem-list-item': 'Problem list',
  'encounter-diagnosis': 'Encounter diagnosis',
  'health-concern': 'Health concern',
  sdoh: 'Social determinant of health',
};

const STATUS_LABELS: Readonly<Record<string, string>> = {
  active: 'Active',
  recurrence: 'Recurrence',
  relapse: 'Relapse',
  inactive: 'Inactive',
  remission: 'In remission',
  resolved: 'Resolved',
};

/** Verification statuses a clinician must notice; only "confirmed" stays quiet. */
const VERIFICATION_LABELS: Readonly<Record<string, string>> = {
  unconfirmed: 'Unconfirmed',
  provisional: 'Provisional',
  differential: 'Differential',
  refuted: 'Refuted',
  'entered-in-error': 'Entered in error',
};

/** FHIR's abatement is when the condition resolved or went into remission: said as its status says. */
function abatementLabel(clinicalStatus: string | undefined): string {
  if (clinicalStatus === 'remission') return 'In remission since';
  if (clinicalStatus === 'inactive') return 'Inactive since';
  return 'Resolved';
}

/** "Recorded Mar 5, 2024", or for a problem recorded several times "Recorded 3 times, Feb 1, 2021 – Jun 30, 2023". */
function recorded(problem: ProblemRow, zone: string | undefined): string {
  const first = formatDate(problem.recordedDate, zone);
  const times = problem.records === undefined ? '' : ` ${problem.records} times,`;
  const last =
    problem.lastRecordedDate === undefined ? '' : ` – ${formatDate(problem.lastRecordedDate, zone)}`;
  return `Recorded${times} ${first}${last}`;
}

export function ProblemItem({ problem }: { readonly problem: ProblemRow }) {
  const zone = useDisplayZone();
  const struck =
    problem.verificationStatus === 'refuted' || problem.verificationStatus === 'entered-in-error';
  const verification =
    problem.verificationStatus === undefined ? undefined : VERIFICATION_LABELS[problem.verificationStatus];
  const status =
    problem.clinicalStatus === undefined
      ? (problem.clinicalStatusText ?? 'Status not recorded')
      : (STATUS_LABELS[problem.clinicalStatus] ?? problem.clinicalStatus);
  return (
    <li className="problem-row flex flex-col gap-1">
      <div className="flex flex-wrap items-center gap-2">
        <h3 className={`font-semibold ${struck ? 'line-through' : ''}`}>{problem.label}</h3>
        <span className={`badge ${problem.active ? 'badge-active' : 'badge-inactive'}`}>
          <span aria-hidden="true">{problem.active ? '● ' : '○ '}</span>
          {status}
        </span>
        {verification === undefined ? null : (
          <span className={`badge ${struck ? 'badge-refuted' : 'badge-provisional'}`}>
            <span aria-hidden="true">{struck ? '✕ ' : '? '}</span>
            {verification}
          </span>
        )}
      </div>
      <p className="flex flex-wrap gap-x-3 text-sm text-muted">
        {problem.categories.map((c) => (
          <span key={c}>{CATEGORY_LABELS[c] ?? c}</span>
        ))}
        {problem.onset !== undefined || problem.recordedDate === undefined ? (
          <span>Onset {formatDate(problem.onset, zone)}</span>
        ) : null}
        {problem.abatement === undefined ? null : (
          <span>
            {abatementLabel(problem.clinicalStatus)} {formatDate(problem.abatement, zone)}
          </span>
        )}
        {problem.recordedDate === undefined ? null : <span>{recorded(problem, zone)}</span>}
      </p>
    </li>
  );
}
