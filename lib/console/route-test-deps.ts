import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildEnv } from '../env';
import type { ConsoleRouteDeps } from './route-deps';
import type { ConsoleRole } from './roles';
import type { ConsoleUser } from './users';

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
