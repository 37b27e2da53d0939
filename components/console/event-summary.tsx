import { Fragment, type ReactNode } from 'react';
import type { EventSummary } from '@/lib/console/event-fields';
import { patientIdentityText } from '@/lib/console/patient-find';
import { userLabel, type ConsoleNames } from '@/lib/console/user-label';
import { OUTCOME } from './events-table';
import { LocalTime } from './local-time';

/** An audit event in plain words: who, whom, what, when, where, outcome, and the query as sent. */
export function EventSummaryList({
  s,
  names,
  ehrLabel,
}: {
  readonly s: EventSummary;
  readonly names: ConsoleNames;
  readonly ehrLabel: string;
}) {
  const what = [s.action, s.resourceTypes.join(', '), s.detail].filter(Boolean).join(' · ');
  const who = userLabel(s.user, names, s.userName);
  const items: [string, ReactNode][] = [
    [
      'Who',
      <>
        {who}
        {s.user && who !== s.user && <span className="block break-all text-slate-600">{s.user}</span>}
      </>,
    ],
    [
      'Whom',
      s.patient ? (
        <>
          {s.patientIdentity && <span className="block">{patientIdentityText(s.patientIdentity)}</span>}
          <span className="break-all">{s.patient}</span>
        </>
      ) : (
        'no patient'
      ),
    ],
    ['What', what],
    ['When', <LocalTime key="when" iso={s.recorded} />],
    ['Where', [s.sourceIp && `from ${s.sourceIp}`, `through ${ehrLabel}`].filter(Boolean).join(', ')],
    ['Outcome', [OUTCOME[s.outcome] ?? s.outcome, s.outcomeDesc].filter(Boolean).join(': ')],
    ['Purpose', s.purpose],
    ...(s.launchId
      ? ([
          [
            'Chart opening (launch)',
            <span key="l" className="font-mono">
              {s.launchId}
            </span>,
          ],
        ] as [string, ReactNode][])
      : []),
  ];
  return (
    <section aria-labelledby="summary-heading">
      <h2 id="summary-heading" className="mb-2 text-lg font-semibold">
        Summary
      </h2>
      <dl className="grid gap-x-6 gap-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm sm:grid-cols-[max-content_1fr]">
        {items.map(([term, value]) => (
          <Fragment key={term}>
            <dt className="font-medium">{term}</dt>
            <dd>{value}</dd>
          </Fragment>
        ))}
        {s.query && (
          <>
            <dt className="font-medium">Query</dt>
            <dd>
              <pre
                aria-label="Query sent to the EHR"
                className="whitespace-pre-wrap break-all rounded bg-slate-100 p-2 font-mono text-xs"
              >
                {s.query}
              </pre>
            </dd>
          </>
        )}
      </dl>
    </section>
  );
}
