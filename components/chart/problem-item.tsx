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

/** Verification statuses a clinician must notice; "confirmed" and "unconfirmed" stay quiet. */
const VERIFICATION_LABELS: Readonly<Record<string, string>> = {
  provisional: 'Provisional',
  differential: 'Differential',
  refuted: 'Refuted',
  'entered-in-error': 'Entered in error',
};

export function ProblemItem({ problem }: { readonly problem: ProblemRow }) {
  const zone = useDisplayZone();
  const struck =
    problem.verificationStatus === 'refuted' || problem.verificationStatus === 'entered-in-error';
  const verification =
    problem.verificationStatus === undefined ? undefined : VERIFICATION_LABELS[problem.verificationStatus];
  const status =
    problem.clinicalStatus === undefined
      ? 'Status unknown'
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
        <span>Onset {formatDate(problem.onset, zone)}</span>
        {problem.abatement === undefined ? null : <span>Resolved {formatDate(problem.abatement, zone)}</span>}
      </p>
    </li>
  );
}
