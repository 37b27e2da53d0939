import { afterEach, describe, expect, it } from 'vitest';
import { fetchPatient, PatientReads } from './chart-data';
import { startFakeFhirServer, type FakeFhirServer, type FakeHandler } from './testing/fake-fhir-server';
import type { FhirContext } from './types';

/**
 * The chart's panels share one read of the launch's Patient (lib/fhir/chart-data.ts): one request to a real HTTP
 * server for a launch's panels, never one shared between launches or tokens, never a failure kept.
 */
let server: FakeFhirServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const PATIENT = { resourceType: 'Patient', id: 'p1', gender: 'female', birthDate: '1950-02-03' };

async function serve(handler: FakeHandler = () => ({ body: PATIENT })) {
  server = await startFakeFhirServer(handler);
  const ctx: FhirContext = {
    server: { fhirBaseUrl: `${server.origin}/fhir`, vendor: 'generic', retries: 0 },
    patientId: 'p1',
    launchId: 'launch-1',
    accessToken: 'token-1',
  };
  const patientReads = () => server!.requests.filter((r) => r.path === '/fhir/Patient/p1').length;
  return { ctx, patientReads };
}

describe("a launch's Patient, read once for its panels", () => {
  it('asks the EHR once for concurrent and later reads of one launch, and only the asking read is recorded', async () => {
    const { ctx, patientReads } = await serve();
    const reads = new PatientReads();
    const first = await Promise.all([1, 2, 3].map(() => fetchPatient(ctx, new Date(), reads)));
    const later = await fetchPatient(ctx, new Date(), reads);
    expect(patientReads()).toBe(1);
    expect([...first, later].map((r) => r.queries)).toEqual([['Patient/p1'], [], [], []]);
    for (const r of [...first, later])
      expect(r.patient).toMatchObject({ gender: 'female', birthDate: '1950-02-03' });
  });

  it('reads again for another launch, another token (a refresh) and an open server', async () => {
    const { ctx, patientReads } = await serve();
    const reads = new PatientReads();
    await fetchPatient(ctx, new Date(), reads);
    await fetchPatient({ ...ctx, launchId: 'launch-2' }, new Date(), reads);
    await fetchPatient({ ...ctx, accessToken: 'token-2' }, new Date(), reads);
    const open = { ...ctx, accessToken: undefined };
    await fetchPatient(open, new Date(), reads);
    const again = await fetchPatient(open, new Date(), reads);
    expect(patientReads()).toBe(5);
    expect(again.queries).toEqual(['Patient/p1']);
  });

  it('keeps no failed read: the next panel asks again and gets the patient', async () => {
    let calls = 0;
    const { ctx, patientReads } = await serve(() =>
      ++calls === 1 ? { status: 500, body: 'down' } : { body: PATIENT },
    );
    const reads = new PatientReads();
    await expect(fetchPatient(ctx, new Date(), reads)).rejects.toMatchObject({ kind: 'http' });
    const ok = await fetchPatient(ctx, new Date(), reads);
    expect(ok.queries).toEqual(['Patient/p1']);
    expect(patientReads()).toBe(2);
  });

  it('reads again once the shared read is PATIENT_READ_MS old', async () => {
    const { ctx, patientReads } = await serve();
    let t = 0;
    const reads = new PatientReads(30_000, () => t);
    await fetchPatient(ctx, new Date(), reads);
    t = 29_999;
    expect((await fetchPatient(ctx, new Date(), reads)).queries).toEqual([]);
    t = 30_000;
    expect((await fetchPatient(ctx, new Date(), reads)).queries).toEqual(['Patient/p1']);
    expect(patientReads()).toBe(2);
  });

  it('lets a read go once PATIENT_READ_MS have passed, with no later read to push it out', async () => {
    const { ctx } = await serve();
    // A second, so that a read slowed by a busy machine is still held when it returns.
    const reads = new PatientReads(1000);
    const started = performance.now();
    await fetchPatient(ctx, new Date(), reads);
    expect(reads.size).toBe(1);
    await new Promise((r) => setTimeout(r, started + 1100 - performance.now()));
    expect(reads.size).toBe(0);
  });

  it('holds a bounded number of reads: past it the oldest go first', async () => {
    const { ctx, patientReads } = await serve();
    const reads = new PatientReads(30_000, () => 0, 2);
    for (const launchId of ['a', 'b', 'c']) await fetchPatient({ ...ctx, launchId }, new Date(), reads);
    expect(patientReads()).toBe(3);
    // "c" and "b" are held, "a" was let go.
    expect((await fetchPatient({ ...ctx, launchId: 'c' }, new Date(), reads)).queries).toEqual([]);
    expect((await fetchPatient({ ...ctx, launchId: 'a' }, new Date(), reads)).queries).toEqual([
      'Patient/p1',
    ]);
    expect(patientReads()).toBe(4);
  });

  it("a cancelled panel's request does not cancel the read the others wait for", async () => {
    const { ctx, patientReads } = await serve(() => ({ body: PATIENT, delayMs: 100 }));
    const reads = new PatientReads();
    const stop = new AbortController();
    const cancelled = fetchPatient({ ...ctx, signal: stop.signal }, new Date(), reads);
    const other = fetchPatient(ctx, new Date(), reads);
    stop.abort();
    await expect(other).resolves.toMatchObject({ patient: { gender: 'female' } });
    await cancelled.catch(() => undefined);
    expect(patientReads()).toBe(1);
  });
});
