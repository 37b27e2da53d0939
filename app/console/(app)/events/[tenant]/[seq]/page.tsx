import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getAuditLog } from '@/lib/audit';
import { EventSummaryList } from '@/components/console/event-summary';
import { IntegrityAlert } from '@/components/console/integrity-alert';
import { summarize } from '@/lib/console/event-fields';
import { eventWithProof } from '@/lib/console/event-proof';
import { readChecked } from '@/lib/console/integrity';
import { recordPageAction } from '@/lib/console/page-context';
import { requireConsoleUser } from '@/lib/console/require-user';
import { pageNames } from '@/lib/console/user-names';
import { registrations } from '@/lib/smart/registrations';

export const metadata: Metadata = { title: 'Audit event – Audit console' };

export const dynamic = 'force-dynamic';

interface Props {
  readonly params: Promise<{ tenant: string; seq: string }>;
  readonly searchParams: Promise<{ at?: string }>;
}

/** One audit event: a plain summary, its place in the chain and inclusion proof, the full FHIR AuditEvent. */
export default async function EventPage({ params, searchParams }: Props) {
  const { tenant: rawTenant, seq: rawSeq } = await params;
  const tenant = decodeURIComponent(rawTenant);
  const { at } = await searchParams;
  const user = await requireConsoleUser(
    'auditor',
    `/console/events/${rawTenant}/${rawSeq}?at=${encodeURIComponent(at ?? '')}`,
  );
  const seq = Number(rawSeq);
  const recorded = new Date(at ?? '');
  if (
    !/^\d+$/.test(rawSeq) ||
    !Number.isSafeInteger(seq) ||
    Number.isNaN(recorded.getTime()) ||
    !/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/.test(tenant)
  )
    notFound();
  await recordPageAction({ action: 'console-view', userId: user.id, detail: `event:${tenant}/${seq}` });
  const { store } = await getAuditLog();
  const read = await readChecked(() => eventWithProof(store, tenant, seq, recorded));
  if ('failure' in read)
    return (
      <article aria-labelledby="event-heading">
        <h1 id="event-heading" className="text-2xl font-semibold">
          Audit event {tenant} #{seq}
        </h1>
        <IntegrityAlert failure={read.failure} />
      </article>
    );
  if (!read.value) notFound();
  const { event, proof } = read.value;
  const summary = summarize(event.event);
  const ehrLabel = registrations().find((r) => r.id === summary.tenant)?.label ?? summary.tenant;
  return (
    <article aria-labelledby="event-heading" className="space-y-6">
      <h1 id="event-heading" className="text-2xl font-semibold">
        Audit event {tenant} #{seq}
      </h1>
      <EventSummaryList s={summary} names={await pageNames([summary.user])} ehrLabel={ehrLabel} />
      <dl className="grid gap-x-6 gap-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm sm:grid-cols-[max-content_1fr]">
        <dt className="font-medium">Chain</dt>
        <dd>{tenant}</dd>
        <dt className="font-medium">Position</dt>
        <dd>{seq}</dd>
        <dt className="font-medium">Leaf hash</dt>
        <dd className="break-all font-mono">{event.leafHash}</dd>
        <dt className="font-medium">Inclusion proof</dt>
        <dd>
          {/* A live region inside the dd, not on it: a dl may hold only dt and dd (axe definition-list). */}
          <p role="status">
            {proof.status === 'verified' &&
              `Verified: included in the signed checkpoint of ${proof.treeSize} events (${proof.checkpointTime}).`}
            {proof.status === 'failed' &&
              `FAILED: the proof does not lead to the signed checkpoint of ${proof.treeSize} events.`}
            {proof.status === 'pending' &&
              'Not yet covered by a signed checkpoint (they follow within a second); reload to check.'}
          </p>
        </dd>
        {proof.status !== 'pending' && (
          <>
            <dt className="font-medium">Checkpoint root</dt>
            <dd className="break-all font-mono">{proof.root}</dd>
            <dt className="font-medium">Proof path</dt>
            <dd className="break-all font-mono text-xs">
              {proof.path.join(' ') || '(none: single-event tree)'}
            </dd>
          </>
        )}
      </dl>
      <section aria-labelledby="json-heading">
        <h2 id="json-heading" className="mb-2 text-lg font-semibold">
          FHIR AuditEvent
        </h2>
        <pre className="overflow-x-auto rounded-lg bg-slate-900 p-4 text-xs text-slate-100">
          {JSON.stringify(event.event, null, 2)}
        </pre>
      </section>
    </article>
  );
}
