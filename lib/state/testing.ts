import { openLaunchStore } from './index';
import type { LaunchStore } from './launch-store';

/** A real launch store on an in-memory PGlite, for tests. */
export function memoryLaunchStore(): Promise<LaunchStore> {
  return openLaunchStore({ kind: 'pglite', dataDir: undefined });
}
