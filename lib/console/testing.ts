import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createAuditStore, type AuditStore } from '../audit';
import { generateAuditKeys } from '../audit/crypto';
import type { AuditInput, AuditLog } from '../audit/types';
import { buildEnv } from '../env';
import type { ConsoleRouteDeps } from './route-deps';
import type { ConsoleRole } from './roles';
import type { ConsoleUser } from './users';

/** The console's test helpers: a real audit store, accounts as handlers see them, an environment. */

/** A real PGlite audit store in a temporary directory, for the console's tests. */
export async function tempAuditLog(): Promise<{
  log: AuditLog & { store: AuditStore };
  dispose: () => Promise<void>;
}> {
  const dir = mkdtempSync(path.join(tmpdir(), 'console-audit-'));
  const store = await createAuditStore({
    database: { kind: 'pglite', dataDir: path.join(dir, 'db') },
    keys: generateAuditKeys(),
    checkpoints: path.join(dir, 'checkpoints'),
    appId: 'http://localhost:3000',
    checkpointDelayMs: 10,
  });
  return {
    log: {
      store,
      async record(input: AuditInput) {
        const [r] = await store.append([input]);
        if (!r) throw new Error('no receipt');
        return r;
      },
    },
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const APP = 'http://localhost:3000';

/** A console account as the route handlers' tests sign in. */
export function consoleUser(role: ConsoleRole | null, id = `id-${role ?? 'none'}-0001`): ConsoleUser {
  return {
    id,
    username: `${role ?? 'none'}-user`,
    role,
    disabled: false,
    local: true,
    secondFactor: false,
    createdAt: '',
    updatedAt: '',
  };
}

export function testEnv(): ConsoleRouteDeps['env'] {
  return buildEnv({ DATA_DIR: mkdtempSync(path.join(tmpdir(), 'console-env-')), APP_URL: APP });
}

export const sameOrigin = { origin: APP } as const;
