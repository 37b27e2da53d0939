/**
 * Next.js calls register() once when the server process starts, before any
 * request: the process lifecycle lives here (lib/lifecycle.ts), not in
 * request code.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { startInstance } = await import('./lib/lifecycle');
  startInstance();
}
