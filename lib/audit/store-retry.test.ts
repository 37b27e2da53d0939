import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateAuditKeys } from './crypto';
import type { SqlDriver } from './driver';
import { pgliteDriver } from './driver-pglite';
import { AuditUnavailableError } from './errors';
import { createAuditStore } from './index';
import type { AuditStore } from './store';
import type { AuditInput } from './types';

/**
 * The connection drops before or after a statement ran. A read is run again on the new
 * connection. An append is looked for in the log first, by its own leaves: found, it stands;
 * absent (another instance's event may hold its place), it is offered once more. It is never
 * recorded twice.
 */
const dir = mkdtempSync(path.join(tmpdir(), 'audit-retry-'));
let db: SqlDriver;
let store: AuditStore;
/** Statements to fail as a lost connection, in order: before they run, or after they ran. */
let drops: {
  re: RegExp;
  when: 'before' | 'after';
  events?: true;
  /** Done before a statement dropped before it ran fails: what another instance did meanwhile. */
  meanwhile?: () => Promise<unknown>;
}[] = [];
const keys = generateAuditKeys();
const lost = () => new Error('Connection terminated unexpectedly');

beforeAll(async () => {
  db = await pgliteDriver(path.join(dir, 'db'));
  const flaky: SqlDriver = {
    ...db,
    async query(sql, params, name) {
      const next = drops[0];
      // `events`: only an offer that carries events (an empty one asks for the head).
      const carries = Array.isArray(params?.[2]) && params[2].length > 0;
      const drop = next?.re.test(sql) && (!next.events || carries) ? drops.shift() : undefined;
      if (drop?.when === 'before') {
        await drop.meanwhile?.();
        throw lost();
      }
      const rows = await db.query(sql, params, name);
      if (drop) throw lost();
      return rows as never;
    },
  };
  store = await createAuditStore({
    database: flaky,
    keys,
    checkpoints: path.join(dir, 'checkpoints'),
    // The signer stays out of the statements dropped here, and the unsigned tail within its bound.
    checkpointDelayMs: 60_000,
    coverageBoundMs: 120_000,
  });
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const count = async () =>
  (await db.query(`SELECT count(*)::int AS n FROM audit.events WHERE tenant = 'ehr'`))[0]?.n;
const APPEND = /audit\.append_events/;
const LOOK = /SELECT seq, leaf_hash FROM audit\.events/;

const input: AuditInput = {
  action: 'patient-read',
  outcome: '0',
  tenant: 'ehr',
  user: 'https://ehr.example/fhir/Practitioner/d',
  patient: 'https://ehr.example/fhir/Patient/p1',
  resourceTypes: ['Patient'],
};

describe('the audit store after a lost connection', () => {
  it('keeps an append that committed before its answer was lost, once', async () => {
    await store.append([input]);
    drops = [{ re: APPEND, when: 'after', events: true }];
    const [receipt] = await store.append([input]);
    expect(drops).toEqual([]);
    expect(receipt?.seq).toBe(1);
    expect(await count()).toBe(2);
  });

  it('offers an append lost before it ran once more, and records it once', async () => {
    drops = [{ re: APPEND, when: 'before', events: true }];
    const [receipt] = await store.append([input]);
    expect(drops).toEqual([]);
    expect(receipt?.seq).toBe(2);
    expect(await count()).toBe(3);
    expect((await store.verify({ tenant: 'ehr' })).ok).toBe(true);
  });

  it('refuses the disclosure when the second offer is lost too, and holds the record once at most', async () => {
    drops = [
      { re: APPEND, when: 'before', events: true },
      { re: APPEND, when: 'after', events: true },
    ];
    await expect(store.append([input])).rejects.toThrow(AuditUnavailableError);
    expect(drops).toEqual([]);
    expect(await count()).toBe(4);
  });

  it('refuses the disclosure when looking for it is lost too', async () => {
    drops = [
      { re: APPEND, when: 'after', events: true },
      { re: LOOK, when: 'before' },
    ];
    await expect(store.append([input])).rejects.toThrow(AuditUnavailableError);
    expect(drops).toEqual([]);
    expect(await count()).toBe(5);
    // The head is learnt again: the next append continues the chain.
    expect((await store.append([input]))[0]?.seq).toBe(5);
    expect((await store.verify({ tenant: 'ehr' })).ok).toBe(true);
  });

  it("stores a patient's search tokens again when their statement is lost, and appends once", async () => {
    drops = [{ re: /INSERT INTO audit\.patient_index/, when: 'before' }];
    const withIdentity: AuditInput = {
      ...input,
      patient: 'https://ehr.example/fhir/Patient/p2',
      patientIdentity: { name: 'Quill, Ada', birthDate: '1990-04-02' },
    };
    expect((await store.append([withIdentity]))[0]?.seq).toBe(6);
    expect(drops).toEqual([]);
    const found = await store.findPatients('quill 1990-04-02', { tenant: 'ehr' });
    expect(found.patients.map((p) => p.reference)).toEqual(['https://ehr.example/fhir/Patient/p2']);
  });

  it('reads again on the new connection', async () => {
    drops = [{ re: /FROM audit\.events/, when: 'after' }];
    const page = await store.query({ tenant: 'ehr' });
    expect(page.items).toHaveLength(7);
    drops = [{ re: /FROM audit\.heads/, when: 'after' }];
    expect((await store.treeHead('ehr')).size).toBe(7);
  });
  it('offers an append lost before it ran on the head another instance moved meanwhile, once', async () => {
    // A second instance of the app on the same log (its own signer's directory; the database stays open for the first).
    const other = await createAuditStore({
      database: { ...db, close: async () => undefined },
      keys,
      checkpoints: path.join(dir, 'checkpoints-other'),
      checkpointDelayMs: 60_000,
      coverageBoundMs: 120_000,
    });
    try {
      const before = (await count()) as number;
      let theirs: number | undefined;
      drops = [
        {
          re: APPEND,
          when: 'before',
          events: true,
          meanwhile: async () => (theirs = (await other.append([input]))[0]?.seq),
        },
      ];
      const [receipt] = await store.append([input]);
      expect(drops).toEqual([]);
      // The other instance's event took the place this batch was built for: this one is not it, so it goes next.
      expect(theirs).toBe(before);
      expect(receipt?.seq).toBe(before + 1);
      expect(await count()).toBe(before + 2);
      expect((await store.verify({ tenant: 'ehr' })).ok).toBe(true);
    } finally {
      await other.close();
    }
  });
});
