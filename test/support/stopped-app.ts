import path from 'node:path';
import { createAuditStore } from '../../lib/audit';
import type { AuditStore } from '../../lib/audit/store';
import { buildEnv } from '../../lib/env';

/**
 * The embedded audit store of an app that has stopped, opened with the secrets it generated in its
 * DATA_DIR (while it runs, the database is its own and refuses any other process).
 */
export async function openStoppedAppAudit(dataDir: string): Promise<AuditStore> {
  const env = buildEnv({ DATA_DIR: dataDir });
  return createAuditStore({
    database: { kind: 'pglite', dataDir: path.join(dataDir, 'audit') },
    keys: {
      hmacKey: env.secrets.auditHmacKey,
      encryptionKey: env.secrets.auditEncryptionKey,
      signingKey: env.secrets.auditSigningKey,
    },
    checkpoints: env.auditCheckpointDir,
  });
}
