export default function Loading() {
  return (
    <main className="mx-auto max-w-6xl px-4 py-6" aria-busy="true">
      <div
        role="progressbar"
        aria-label="Loading the chart"
        className="h-20 animate-pulse rounded-lg bg-slate-200"
      />
    </main>
  );
}
