import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditInput } from '../types';
import type { Harness } from './harness';
import { newTenant } from './seed';

const SAM = {
  name: 'Brennan, Sam',
  birthDate: '1980-03-04',
  mrn: { system: 'urn:oid:1.2.3', value: 'SBX0100001' },
};
const ZOE = { name: "O'Brien-Núñez, Zoë", birthDate: '1991-12-30', mrn: { value: 'MRN-77' } };
const PLAINTEXT = [
  'Brennan',
  'brennan',
  'BRENNAN',
  'Sam',
  '1980-03-04',
  '19800304',
  'SBX0100001',
  'urn:oid:1.2.3',
  'Núñez',
  'nunez',
  'MRN-77',
  '1991-12-30',
];

function disclosure(
  tenant: string,
  patient: string,
  who: AuditInput['patientIdentity'],
  i: number,
): AuditInput {
  return {
    action: i % 2 === 0 ? 'patient-read' : 'patient-query',
    outcome: '0',
    tenant,
    user: 'https://ehr.example/fhir/Practitioner/doc-77',
    patient,
    resourceTypes: ['Patient'],
    launchId: `launch-${i}`,
    recorded: new Date(Date.UTC(2026, 1, 1, 0, 0, i)),
    ...(who ? { patientIdentity: who } : {}),
  };
}

/** Every cell of every table of the audit schema, as text (bytea as latin1, hex and UTF-8). */
async function dumpSchema(h: Harness): Promise<string> {
  const tables = await h.admin.query<{ t: string }>(
    `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'audit'`,
  );
  const parts: string[] = [];
  for (const { t } of tables) {
    const rows = await h.admin.query(`SELECT * FROM audit.${t}`);
    parts.push(
      JSON.stringify(rows, (_k, v: unknown) =>
        v instanceof Uint8Array
          ? `${Buffer.from(v).toString('latin1')} ${Buffer.from(v).toString('hex')} ${Buffer.from(v).toString('utf8')}`
          : v,
      ),
    );
  }
  return parts.join('\n');
}

export function patientFinderSuite(name: string, makeHarness: () => Promise<Harness>): void {
  describe(name, () => {
    let h: Harness;
    const a = newTenant('find-a');
    const b = newTenant('find-b');
    const samA = 'https://a.example/fhir/Patient/p1';
    const samB = 'https://b.example/fhir/Patient/q9';
    const zoeA = 'https://a.example/fhir/Patient/p2';
    beforeAll(async () => {
      h = await makeHarness();
      await h.store.append([
        disclosure(a, samA, SAM, 0),
        disclosure(a, samA, SAM, 1),
        disclosure(a, zoeA, ZOE, 2),
        disclosure(b, samB, SAM, 3),
        disclosure(b, samB, undefined, 4),
      ]);
    });
    afterAll(async () => {
      await h?.dispose();
    });

    it('finds a patient by family name, birth date or MRN in every EHR, from the sealed events', async () => {
      for (const text of ['brennan', 'BRENNAN sam', '1980-03-04', 'sbx0100001', 'urn:oid:1.2.3|SBX0100001']) {
        const found = await h.store.findPatients(text);
        expect(found.patients.map((p) => p.reference).sort(), text).toEqual([samA, samB]);
        expect(found.patients[0]?.identity).toEqual(SAM);
        expect(found.unconfirmed).toBe(0);
      }
      expect((await h.store.findPatients('nunez')).patients.map((p) => p.reference)).toEqual([zoeA]);
      expect((await h.store.findPatients('zoe obrien 1991-12-30')).patients).toHaveLength(1);
      expect((await h.store.findPatients('brennan 1991-12-30')).patients).toEqual([]);
      expect((await h.store.findPatients('brennan', { tenant: b })).patients.map((p) => p.reference)).toEqual(
        [samB],
      );
      await expect(h.store.findPatients(' , ')).rejects.toThrow(RangeError);
    });

    it('pages the events of the patients found, newest first', async () => {
      const refs = (await h.store.findPatients('brennan')).patients.map((p) => p.reference);
      const page = await h.store.query({ patients: refs }, { limit: 2 });
      expect(page.items.map((e) => [e.tenant, e.seq])).toEqual([
        [b, 1],
        [b, 0],
      ]);
      const next = await h.store.query({ patients: refs }, { limit: 2, cursor: page.nextCursor });
      expect(next.items.map((e) => [e.tenant, e.seq])).toEqual([
        [a, 1],
        [a, 0],
      ]);
      expect((await h.store.query({ patients: [] })).items).toEqual([]);
    });

    it('writes each identity once, and keeps no plaintext name, birth date or MRN in any table', async () => {
      const count = async () =>
        Number((await h.admin.query(`SELECT count(*) AS n FROM audit.patient_index`))[0]?.n);
      const before = await count();
      await h.store.append([disclosure(a, samA, SAM, 10), disclosure(a, samA, SAM, 11)]);
      expect(await count()).toBe(before);
      const dump = await dumpSchema(h);
      expect(dump).toContain('patient_hmac');
      for (const secret of PLAINTEXT) expect(dump, secret).not.toContain(secret);
    });

    it('indexes patients appended at once by many writers, whose tokens overlap', async () => {
      const t = newTenant('find-many');
      await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          h.store.append([
            disclosure(
              t,
              `https://c.example/fhir/Patient/c${i}`,
              {
                name: `Okafor, Ann ${'abcdefghij'[i % 10]}`,
                birthDate: '1970-01-01',
                mrn: { value: `C${i}` },
              },
              i,
            ),
          ]),
        ),
      );
      // Two patients in both orders at once: writers must not lock each other's tokens crosswise.
      const x = disclosure(
        t,
        'https://c.example/fhir/Patient/x',
        { name: 'Lee, Ann', mrn: { value: 'X1' } },
        50,
      );
      const y = disclosure(
        t,
        'https://c.example/fhir/Patient/y',
        { name: 'Lee, Bob', mrn: { value: 'Y1' } },
        51,
      );
      await Promise.all(Array.from({ length: 20 }, (_, i) => h.store.append(i % 2 ? [x, y] : [y, x])));
      expect((await h.store.findPatients('lee', { tenant: t })).patients).toHaveLength(2);
      const found = await h.store.findPatients('okafor 1970-01-01', { tenant: t });
      expect(found.patients).toHaveLength(40);
      expect((await h.store.findPatients('okafor', { tenant: t, limit: 10 })).truncated).toBe(true);
    });

    it('does not let a forged index row label another patient', async () => {
      // An attacker with the app login copies Zoë's tokens onto Sam's patient HMAC.
      await h.app.query(
        `INSERT INTO audit.patient_index (token, tenant, patient_hmac)
         SELECT z.token, s.tenant, s.patient_hmac
         FROM audit.patient_index z, (SELECT DISTINCT tenant, patient_hmac FROM audit.patient_index WHERE tenant = $1) s
         WHERE z.tenant = $1 AND s.patient_hmac <> z.patient_hmac
         ON CONFLICT DO NOTHING`,
        [a],
      );
      const found = await h.store.findPatients('nunez');
      expect(found.patients.map((p) => p.reference)).toEqual([zoeA]);
      expect(found.unconfirmed).toBe(1);
    });
  });
}
