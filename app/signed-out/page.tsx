export default function SignedOutPage() {
  return (
    <main className="mx-auto max-w-xl px-4 py-16">
      <h1 className="text-2xl font-semibold">You are signed out</h1>
      <p className="mt-2 text-slate-700">
        The session has ended and nothing from it is kept in this browser. To see a chart again, relaunch the
        app from your EHR.
      </p>
    </main>
  );
}
