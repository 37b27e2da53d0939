import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateAuditKeys } from './crypto';
import { createAuditStore } from './index';
import type { AuditInput } from './types';

/**
 * Graceful shutdown under load: close() while appends are still queued must
 * commit every one that was accepted (each resolves with its receipt) and
 * leave a log that verifies, with a signed checkpoint covering the last event.
 */
describe('audit store shutdown under load', () => {
  it('commits every pending append before it closes', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'audit-shutdown-'));
    const keys = generateAuditKeys();
    const open = () =>
      createAuditStore({
        database: { kind: 'pglite', dataDir: path.join(dir, 'db') },
        keys,
        checkpoints: path.join(dir, 'cp'),
      });
    const store = await open();
    const input = (i: number): AuditInput => ({
      action: 'view',
      outcome: '0',
      tenant: 'ehr',
      detail: `panel-${i}`,
      // Half name their patient, whose blind tokens are stored before the append is submitted.
      ...(i % 2 === 1
        ? { patient: `https://ehr.example/fhir/Patient/p${i}`, patientIdentity: { name: `Pat Number${i}` } }
        : {}),
    });
    const pending = Array.from({ length: 400 }, (_, i) => store.append([input(i)]));
    const closing = store.close();
    const settled = await Promise.allSettled(pending);
    await closing;
    const acknowledged = settled.filter((s) => s.status === 'fulfilled').length;
    expect(acknowledged).toBe(400);

    const reopened = await open();
    try {
      const head = await reopened.treeHead('ehr');
      expect(head.size).toBe(acknowledged);
      expect(head.checkpoint?.size).toBe(acknowledged);
      const report = await reopened.verify();
      expect(report.ok).toBe(true);
    } finally {
      await reopened.close();
    }
  }, 60_000);
});
