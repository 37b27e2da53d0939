/**
 * Where the chart was, when a sign-out did not reach the server or the server failed it: said plainly, since the
 * session may still be open, with a way to try again. Never the signed-out page, which says every chart was closed.
 */
export function SignOutFailed({
  labels,
  onRetry,
}: {
  readonly labels: { readonly signOutFailed: string; readonly signOutRetry: string };
  readonly onRetry: () => void;
}) {
  return (
    <div role="alert" className="flex flex-col items-start gap-3">
      <p>{labels.signOutFailed}</p>
      <button
        type="button"
        onClick={onRetry}
        className="rounded-md border border-slate-300 bg-white px-3 py-1 text-sm hover:bg-slate-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-blue-700"
      >
        {labels.signOutRetry}
      </button>
    </div>
  );
}
