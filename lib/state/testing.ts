import { freshPgDatabase } from '../audit/testing/harness';
import { openLaunchStore } from './index';
import type { LaunchStore } from './launch-store';

/** A real launch store on an in-memory PGlite, for tests. */
export function memoryLaunchStore(): Promise<LaunchStore> {
  return openLaunchStore({ kind: 'pglite', dataDir: undefined });
}

/** Two handles on one fresh PostgreSQL database, as two app instances have; `done` closes both and drops it. */
export async function twoInstances<T extends { close(): Promise<void> }>(
  superUrl: string,
  open: (url: string) => T | Promise<T>,
): Promise<{ a: T; b: T; done: () => Promise<void> }> {
  const db = await freshPgDatabase(superUrl);
  const a = await open(db.url);
  const b = await open(db.url);
  return {
    a,
    b,
    async done() {
      await a.close();
      await b.close();
      await db.drop();
    },
  };
}
