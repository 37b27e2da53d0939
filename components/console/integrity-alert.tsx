import { integrityMessage, type IntegrityFailure } from '@/lib/console/integrity';

/** Shown in place of a console page's results when a stored event fails its check. */
export function IntegrityAlert({ failure }: { readonly failure: IntegrityFailure }) {
  return (
    <div role="alert" className="mt-4 rounded-md border border-red-300 bg-red-50 p-4 text-red-900">
      <h2 className="font-semibold">The audit log fails its integrity check</h2>
      <p className="mt-1">{integrityMessage(failure)}</p>
      <p className="mt-2">
        <a href="/console/integrity" className="underline">
          Open the integrity page
        </a>
      </p>
    </div>
  );
}
