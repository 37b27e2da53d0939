'use client';

export default function ChartError({ reset }: { readonly error: Error; readonly reset: () => void }) {
  return (
    <main className="mx-auto max-w-xl px-4 py-16">
      <h1 className="text-2xl font-semibold">The chart could not be shown</h1>
      <p className="mt-2 text-slate-700">Something went wrong while opening this chart.</p>
      <button
        type="button"
        onClick={reset}
        className="mt-4 rounded-md bg-blue-700 px-4 py-2 font-medium text-white focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700"
      >
        Try again
      </button>
    </main>
  );
}
