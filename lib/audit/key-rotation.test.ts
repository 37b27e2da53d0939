import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateAuditKeys } from './crypto';
import { createAuditStore, parsePublicKeys } from './index';

/**
 * Rotating the checkpoint signing key: history signed with the old key keeps
 * verifying when its public half is configured as a previous key, the new key
 * signs new checkpoints, and without the old public key verification fails.
 */
describe('signing key rotation', () => {
  it('keeps verifying history signed before the rotation', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'audit-rotate-'));
    const first = generateAuditKeys();
    const open = (signingKey: string, previous: string | undefined) =>
      createAuditStore({
        database: { kind: 'pglite', dataDir: path.join(dir, 'db') },
        keys: { ...first, signingKey },
        checkpoints: path.join(dir, 'cp'),
        checkpointDelayMs: 20,
        previousPublicKeys: parsePublicKeys(previous),
      });
    const input = (i: number) => ({
      action: 'view' as const,
      outcome: '0' as const,
      tenant: 'ehr',
      detail: `p${i}`,
    });

    const a = await open(first.signingKey, undefined);
    await a.append([input(1), input(2), input(3)]);
    await a.close();

    const second = generateKeyPairSync('ed25519')
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const oldPublic = createPublicKey(first.signingKey).export({ type: 'spki', format: 'pem' }).toString();

    const b = await open(second, oldPublic);
    await b.append([input(4), input(5)]);
    await b.checkpoint('ehr');
    const report = await b.verify();
    expect(report.ok).toBe(true);
    expect(report.tenants[0]?.events).toBe(5);
    await b.close();

    // Without the old public key the checkpoints signed before the rotation no longer verify.
    const c = await open(second, undefined);
    expect((await c.verify()).ok).toBe(false);
    await c.close();
  }, 60_000);

  it('reads several concatenated PEM public keys', () => {
    const pem = () =>
      generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(parsePublicKeys(`${pem()}\n${pem()}`)).toHaveLength(2);
    expect(parsePublicKeys(undefined)).toEqual([]);
  });
});
