export default function NotFound() {
  return (
    <main className="mx-auto max-w-xl px-4 py-16">
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="mt-2 text-slate-700">
        There is nothing at this address. To open a chart, launch the app from your EHR.
      </p>
    </main>
  );
}
