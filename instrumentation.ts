/**
 * Next.js calls register() once when the server process starts, before any
 * request: the process lifecycle lives here, not in request code.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const [{ startInstance }, { EnvError }] = await Promise.all([
    import('./lib/lifecycle'),
    import('./lib/env'),
  ]);
  try {
    startInstance();
  } catch (e) {
    if (!(e instanceof EnvError)) throw e;
    // A set-up the app must not run with: say why and how to fix it, and stop.
    process.stderr.write(`app: refusing to start.\n${e.message}\n`);
    process.exit(1);
  }
}
