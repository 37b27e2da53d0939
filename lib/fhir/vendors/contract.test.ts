import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { labPanel } from '../../chart/lab-panels';
import { mapConditions } from '../../chart/conditions';
import { mapLabs } from '../../chart/labs';
import { isLoincCode } from '../../chart/loinc-names';
import { mapSmokingStatus } from '../../chart/smoking';
import { unitLabel } from '../../chart/unit-label';
import { mapVitals } from '../../chart/vitals';
import { fetchConditions, fetchObservations, fetchPatient, fetchSmokingStatus } from '../chart-data';
import {
  startFakeFhirServer,
  type FakeFhirServer,
  type FakeRequest,
  type FakeResponse,
} from '../testing/fake-fhir-server';
import type { FhirContext, Vendor } from '../types';
import type { Bundle, Condition, Observation } from '@medplum/fhirtypes';

/**
 * Contract tests: each adapter against the vendor's recorded responses,
 * served from a local HTTP server. Next links are rewritten (in the server
 * only) from the vendor's host to the local one; the client follows them as given.
 */
const dir = path.resolve(import.meta.dirname, '../../..', '../shared/fixtures/vendors');
const NOW = new Date('2026-01-15T00:00:00Z');

let server: FakeFhirServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function fixture(file: string, recordedBase: string, localBase: string): unknown {
  return JSON.parse(
    readFileSync(path.join(dir, file), 'utf8').replaceAll(recordedBase, localBase),
  ) as unknown;
}

/**
 * A documentation example served as this patient's answer. Cerner's examples come from several example patients; the
 * app leaves out whatever names another patient (lib/fhir/same-patient.ts), so an example used for its shape is
 * re-homed to the patient of the test.
 */
function rehomed(bundle: unknown, patientId: string): unknown {
  const b = bundle as { entry?: { resource?: { subject?: { reference?: string } } }[] };
  for (const e of b.entry ?? [])
    if (e.resource?.subject?.reference?.startsWith('Patient/'))
      e.resource.subject.reference = `Patient/${patientId}`;
  return b;
}

type Route = (req: FakeRequest, load: (file: string) => unknown) => FakeResponse;

async function contextFor(
  vendor: Vendor,
  recordedBase: string,
  basePath: string,
  patientId: string,
  route: Route,
): Promise<FhirContext> {
  let localBase = '';
  server = await startFakeFhirServer((req) => route(req, (file) => fixture(file, recordedBase, localBase)));
  localBase = `${server.origin}${basePath}`;
  return { server: { fhirBaseUrl: localBase, vendor, retries: 0 }, patientId, accessToken: 'test-token' };
}

const params = (req: FakeRequest): URLSearchParams => req.url.searchParams;

describe.skipIf(!existsSync(dir))(
  'vendor contracts against recorded responses (needs ../shared/fixtures/vendors)',
  () => {
    it('epic: category searches, sessionID paging, suppressed outcomes, not-offered category, EPI MRN', async () => {
      const patientId = 'eAB3mDIBBcyUKviyzrxsnAw3';
      const ctx = await contextFor(
        'epic',
        'https://fhir.epic.com/interconnect-fhir-oauth/api/FHIR/R4',
        '/interconnect-fhir-oauth/api/FHIR/R4',
        patientId,
        (req, load) => {
          const p = params(req);
          if (req.url.pathname.endsWith(`/Patient/${patientId}`))
            return { body: load('epic/patient-read-eAB3mDIBBcyUKviyzrxsnAw3.json') };
          if (req.url.pathname.endsWith('/Observation')) {
            if (p.get('sessionID') === '12-BED00ABDDDD011F0BA93005056BECC4A')
              return { body: load('epic/observation-search-vital-signs-last-page-bundle.json') };
            if (!p.get('category') && !p.get('code'))
              return {
                status: 400,
                body: load('epic/observation-search-no-category-400-operationoutcome.json'),
              };
            if (p.get('category') === 'vital-signs')
              return { body: load('epic/observation-search-vital-signs-page1-bundle.json') };
            if (p.get('category') === 'social-history')
              return { body: load('epic/observation-search-social-history-bundle.json') };
            return {
              status: 400,
              body: load('epic/observation-search-unsupported-category-procedure-400-operationoutcome.json'),
            };
          }
          if (req.url.pathname.endsWith('/Condition'))
            return { body: load('epic/condition-search-empty-with-suppressed-outcome-bundle.json') };
          return { status: 404, body: '' };
        },
      );

      const { patient, queries } = await fetchPatient(ctx, NOW);
      expect(patient).toMatchObject({
        id: patientId,
        name: 'Powell, Desiree Caroline',
        mrn: '203714',
        deceased: false,
      });
      expect(queries).toEqual([`Patient/${patientId}`]);

      const vitals = await fetchObservations(ctx, 'vital-signs', 'all', NOW);
      expect(vitals.resources).toHaveLength(88); // 50 + 38, although page 1 says total=50
      expect(vitals.resources.every((o) => o.resourceType === 'Observation')).toBe(true);
      // Epic does not sort: the reading walks back in date windows, each following its sessionID link.
      expect(vitals.queries[0]).toContain('date=ge');
      expect(vitals.queries[1]).toBe('Observation?sessionID=12-BED00ABDDDD011F0BA93005056BECC4A');
      expect(vitals.queries.some((q) => q.includes('_sort'))).toBe(false);
      expect(vitals.warnings.filter((w) => w.kind === 'withheld').length).toBeGreaterThan(0);
      expect(vitals.warnings.every((w) => w.category === 'vital-signs')).toBe(true);
      expect(server?.requests.every((r) => r.headers.authorization === 'Bearer test-token')).toBe(true);

      const labs = await fetchObservations(ctx, 'laboratory', '1y', NOW);
      expect(labs.resources).toEqual([]);
      expect(labs.warnings).toContainEqual(
        expect.objectContaining({ kind: 'not-offered', category: 'laboratory' }),
      );
      // The first window of the year and the rest of it, asked together, are refused: nothing more is asked.
      expect(labs.queries).toHaveLength(2);
      expect(labs.queries[0]).toMatch(/date=ge2025-12-\d\d/);
      expect(labs.queries[1]).toMatch(/date=ge2025-01-\d\d&date=lt2025-12-\d\d/);

      const conditions = await fetchConditions(ctx);
      expect(conditions.resources).toEqual([]);
      expect(conditions.warnings.length).toBeGreaterThan(0);
      expect(conditions.warnings.every((w) => w.kind === 'withheld' && w.resourceType === 'Condition')).toBe(
        true,
      );

      // Epic wants a category beside the code: smoking status is asked for under social-history and under survey.
      // This recording refuses survey (59022), which is no warning: social-history answered.
      const smoking = await fetchSmokingStatus(ctx);
      const asked = smoking.queries.map((q) => new URLSearchParams(q.split('?')[1]));
      expect(asked.map((a) => a.get('category'))).toEqual(['social-history', 'survey']);
      expect(asked.every((a) => a.get('code') === 'http://loinc.org|72166-2')).toBe(true);
      expect(smoking.warnings.filter((w) => w.kind === 'not-offered' || w.kind === 'failed')).toEqual([]);
      expect(mapSmokingStatus(smoking.resources, patient).runs).toEqual([
        // Its effective period has an end only, the "as of" date; issued is years before.
        { status: 'Never Assessed', first: '2025-12-20', last: '2025-12-20', count: 1 },
      ]);
    });

    it('epic legacy: problem-list-item conditions beside a suppressed outcome', async () => {
      const patientId = 'eq081-VQEgP8drUUqCWzHfw3';
      const ctx = await contextFor(
        'epic',
        'https://fhir.epic.com/interconnect-fhir-oauth/api/FHIR/R4',
        '/api/FHIR/R4',
        patientId,
        (req, load) => {
          if (req.url.pathname.endsWith(`/Patient/${patientId}`))
            return { body: load('epic/patient-read-eq081-VQEgP8drUUqCWzHfw3.json') };
          return { body: load('epic/condition-search-bundle-eq081.json') };
        },
      );
      expect((await fetchPatient(ctx, NOW)).patient.mrn).toBe('203711');
      const c = await fetchConditions(ctx);
      expect(c.resources).toHaveLength(1);
      expect(c.warnings.map((w) => w.kind)).toContain('withheld');
    });

    it('cerner: _count within 200, current MRN among many, every category in one Condition search', async () => {
      const patientId = '12724066';
      const recorded = 'https://fhir-ehr.cerner.com/r4/ec2458f2-1e24-41c8-b71b-0e701af7583d';
      const ctx = await contextFor('cerner', recorded, '/r4/tenant', patientId, (req, load) => {
        const p = params(req);
        if (Number(p.get('_count') ?? '0') > 200)
          return {
            status: 400,
            body: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'value' }] },
          };
        if (req.url.pathname.endsWith(`/Patient/${patientId}`))
          return { body: load('cerner/patient-read-12724066-recorded-sandbox.json') };
        if (p.has('-pageContext')) return { body: { resourceType: 'Bundle', type: 'searchset', entry: [] } };
        if (req.url.pathname.endsWith('/Observation')) {
          return p.get('category') === 'vital-signs'
            ? { body: load('cerner/observation-search-bundle.json') }
            : { body: rehomed(load('cerner/observation-search-patient-auth-bundle.json'), patientId) };
        }
        // As documented: two of this patient's Conditions and one of another patient's.
        return { body: load('cerner/condition-search-bundle.json') };
      });
      const { patient } = await fetchPatient(ctx, NOW);
      // Only the 2.16.840.1.113883.6.1000 MRN has no end date; the community MRNs do not say "MRN".
      expect(patient.mrn).toBe('6930');
      // The official name's suffix is kept: it tells this patient from a relative of the same name.
      expect(patient.name).toBe('SMARTS, NANCYS II SR.');

      const vitals = await fetchObservations(ctx, 'vital-signs', 'all', NOW);
      expect(vitals.resources).toHaveLength(7);
      const big = await fetchObservations(
        { ...ctx, server: { ...ctx.server, pageSize: 1000 } },
        'laboratory',
        'all',
        NOW,
      );
      expect(big.resources).toHaveLength(2);
      expect(big.queries[1]).toContain('-pageContext='); // the -pageContext link was followed
      expect(new URL(`http://x/${big.queries[0] ?? ''}`).searchParams.get('_count')).toBe('200');

      const conditions = await fetchConditions(ctx);
      expect(conditions.resources.map((c) => c.id)).toEqual(['p73077203', 'd2572382197']);
      expect(conditions.queries).toHaveLength(1);
      expect(conditions.warnings.map((w) => w.message)).toEqual([
        'The EHR answered with a result for another patient; it is not shown.',
      ]);
    });

    it("cerner: a documented Condition answer whose resources are partly written bare is shown with a warning, the vendor's categories by name", async () => {
      const patientId = '12724066';
      const recorded = 'https://fhir-ehr.cerner.com/r4/ec2458f2-1e24-41c8-b71b-0e701af7583d';
      const ctx = await contextFor('cerner', recorded, '/r4/tenant', patientId, (req, load) =>
        req.url.pathname.endsWith('/Condition')
          ? { body: load('cerner/condition-search-patient-auth-bundle.json') }
          : { status: 404, body: { resourceType: 'OperationOutcome', issue: [] } },
      );
      // Of its three entries two are Conditions written without `resource` (a documentation typo): left out, and said.
      const conditions = await fetchConditions(ctx);
      expect(conditions.resources.map((c) => c.id)).toEqual(['p73703587']);
      expect(conditions.warnings).toEqual([
        {
          resourceType: 'Condition',
          kind: 'unreadable',
          message:
            'The EHR’s answer held 2 entries without a FHIR resource; they are not shown, so the list may be incomplete.',
        },
      ]);
      // The one that is read was entered in error: the problem list holds nothing, and the warning says why it may.
      expect(mapConditions(conditions.resources).problems).toEqual([]);
      // Its well-formed Conditions file their problems under SNOMED CT's "Medical" too: no bare code beside the category.
      const documented = fixture(
        'cerner/condition-search-bundle.json',
        recorded,
        recorded,
      ) as Bundle<Condition>;
      const rows = mapConditions(
        (documented.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : [])),
      ).problems;
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.map((r) => r.categories)).toEqual([
        ['health-concern'],
        ['encounter-diagnosis'],
        ['problem-list-item'],
      ]);
    });

    it('cerner: entered-in-error results and revincluded Provenance never reach the chart; a recorded reading does', async () => {
      const patientId = '12724066';
      const recorded = 'https://fhir-ehr.cerner.com/r4/ec2458f2-1e24-41c8-b71b-0e701af7583d';
      let vitalsFile = 'cerner/observation-search-revinclude-provenance-bundle.json';
      const ctx = await contextFor('cerner', recorded, '/r4/tenant', patientId, (req, load) => {
        const p = params(req);
        if (p.has('-pageContext')) return { body: { resourceType: 'Bundle', type: 'searchset', entry: [] } };
        if (p.get('category') === 'vital-signs') {
          // The single recorded read, served as the one entry of a search page.
          if (vitalsFile.includes('observation-read'))
            return {
              body: rehomed(
                { resourceType: 'Bundle', type: 'searchset', entry: [{ resource: load(vitalsFile) }] },
                patientId,
              ),
            };
          return { body: rehomed(load(vitalsFile), patientId) };
        }
        return { body: rehomed(load('cerner/observation-search-entered-in-error-bundle.json'), patientId) };
      });
      // A temperature entered in error, with its Provenance revincluded: read, then never charted.
      const vitals = await fetchObservations(ctx, 'vital-signs', 'all', NOW);
      expect(vitals.resources.map((o) => [o.resourceType, o.status])).toEqual([
        ['Observation', 'entered-in-error'],
      ]);
      expect(vitals.warnings).toEqual([]);
      expect(mapVitals(vitals.resources).series).toEqual([]);
      // A haemoglobin entered in error, its value masked for the patient persona: never a lab row.
      const labs = await fetchObservations(ctx, 'laboratory', 'all', NOW);
      // (The documentation's example writes the status with a trailing space.)
      expect(labs.resources.map((o) => o.status.trim())).toEqual(['entered-in-error']);
      expect(mapLabs(labs.resources).groups).toEqual([]);
      // The same EHR's final axillary temperature of 27 °C (its own interpretation LOW) is charted as recorded.
      vitalsFile = 'cerner/observation-read-VS-197292857.json';
      const final = await fetchObservations(ctx, 'vital-signs', 'all', NOW);
      const temperature = mapVitals(final.resources).series.find((s) => s.kind === 'temperature');
      expect(temperature?.points.map((pt) => [pt.time, 'value' in pt ? pt.value : undefined])).toEqual([
        ['2020-07-06T21:11:00.000Z', 27],
      ]);
      expect(temperature?.unit).toBe('Cel');
    });

    it('nextgen: a cancelled lab (WBC, with a value) is never a result', () => {
      const cancelled = fixture('nextgen/observation-read-lab.json', '', '') as Observation;
      expect(cancelled.status).toBe('cancelled');
      expect(mapLabs([cancelled]).groups).toEqual([]);
      expect(mapLabs([{ ...cancelled, status: 'final' }]).groups.map((g) => g.label)).toEqual(['WBC']);
    });

    it('athena: results under its own codes and with ranges as text are placed, named and judged', () => {
      const page = fixture('athenahealth/observation-search-page1-bundle.json', '', '') as Bundle;
      const results = (page.entry ?? [])
        .map((e) => e.resource as Observation)
        .filter((o) => o.category?.some((c) => c.coding?.some((x) => x.code === 'laboratory')));
      // What it sends: none of its codes under http://loinc.org is a LOINC code, and no range has numbers.
      expect(results.length).toBeGreaterThanOrEqual(19);
      expect(results.flatMap((o) => o.code.coding ?? []).filter((c) => isLoincCode(c.code ?? ''))).toEqual(
        [],
      );
      expect(results.flatMap((o) => o.referenceRange ?? []).filter((r) => r.low || r.high)).toEqual([]);
      const { groups } = mapLabs(results, { gender: 'female', birthDate: '1950-01-01' });
      // Its metabolic panel is one panel, not Other results.
      expect(
        groups.filter((g) => labPanel(g.loinc) !== 'metabolic').map((g) => g.fullName ?? g.label),
      ).toEqual([]);
      const latest = (label: string) => groups.find((g) => g.label === label)?.latest;
      // A glucose of 256 against "65-99", an ALT of 67 against "0-32": high, and first.
      // Its own word for the glucose, "above high normal", is its flag.
      expect(latest('Glucose')).toMatchObject({ value: 256, flag: 'H', flagSource: 'ehr' });
      // A ratio sent as a string ("27") is judged by the EHR's word alone.
      expect(latest('BUN/creatinine ratio')).toMatchObject({ valueText: '27', flag: 'H', flagSource: 'ehr' });
      expect(latest('ALT')).toMatchObject({ value: 67, flag: 'H' });
      expect(latest('Potassium')).toMatchObject({ value: 4, flag: 'N' });
      const flagged = groups.filter((g) => g.latest.flag !== undefined && g.latest.flag !== 'N');
      expect(groups.slice(0, flagged.length)).toEqual(flagged);
      expect(flagged.map((g) => g.label)).toEqual(expect.arrayContaining(['Glucose', 'ALT']));
      // Every numeric result with a range of two bounds is judged.
      const twoBounds = groups.filter(
        (g) => g.latest.range?.low !== undefined && g.latest.range.high !== undefined,
      );
      expect(twoBounds.length).toBeGreaterThanOrEqual(14);
      expect(twoBounds.filter((g) => g.latest.value !== undefined && !g.latest.flag)).toEqual([]);
      // The eGFR's "  >59" read as above 59, the bound itself not in it; the two eGFRs told apart by their names.
      expect(latest('eGFR if nonafricn AM')?.range).toMatchObject({ low: 59, lowExclusive: true });
      // Its unit "mL/min/1.73" leaves out the m²; the chart writes it whole.
      const egfr = latest('eGFR if nonafricn AM');
      expect(egfr?.unit).toBe('mL/min/1.73');
      expect(unitLabel(egfr?.unit)).toBe('mL/min/1.73 m²');
    });

    it('athena: a saturation taken on oxygen keeps the flow and concentration it was taken on', () => {
      const page = fixture('athenahealth/observation-search-last-page-bundle.json', '', '') as Bundle;
      const readings = (page.entry ?? []).map((e) => e.resource as Observation);
      const spo2 = mapVitals(readings).series.find((s) => s.kind === 'spo2');
      expect(spo2?.kind).toBe('spo2');
      const onOxygen = spo2!.points.filter((p) => 'oxygen' in p && p.oxygen !== undefined);
      expect(
        onOxygen.map((p) => ['value' in p ? p.value : undefined, 'oxygen' in p ? p.oxygen : undefined]),
      ).toEqual([[93, { flow: 5, concentration: 30 }]]);
    });

    it('cerner: a saturation keeps the oxygen its components give, as sent', () => {
      const page = fixture('cerner/observation-search-bundle.json', '', '') as Bundle;
      const spo2 = mapVitals((page.entry ?? []).map((e) => e.resource as Observation)).series.find(
        (s) => s.kind === 'spo2',
      );
      // Recorded as it is: 7 L/min beside an inspired fraction of 21 % (room air's) is the sandbox's own data.
      expect(spo2?.points.map((p) => ('oxygen' in p ? p.oxygen : undefined))).toEqual([
        { flow: 7, concentration: 21 },
      ]);
    });

    it('athena: cursor paging without Bundle.total, no invented MRN', async () => {
      const patientId = 'a-80000.E-14545';
      const recorded = 'https://api.preview.platform.athenahealth.com/fhir/r4';
      const ctx = await contextFor('athena', recorded, '/fhir/r4', patientId, (req, load) => {
        const p = params(req);
        if (req.url.pathname.endsWith(`/Patient/${patientId}`))
          return { body: load('athenahealth/patient-read-a-80000.E-14545.json') };
        if (req.url.pathname.endsWith('/Observation')) {
          return p.get('cursor') === 'a-80000.resultamb-3223'
            ? { body: load('athenahealth/observation-search-last-page-bundle.json') }
            : { body: load('athenahealth/observation-search-page1-bundle.json') };
        }
        return { body: load('athenahealth/condition-search-bundle.json') };
      });
      const { patient } = await fetchPatient(ctx, NOW);
      expect(patient.name).toBe('Medlock, Jake Ph.D.');
      expect(patient.mrn).toBeUndefined();
      const obs = await fetchObservations(ctx, 'vital-signs', 'all', NOW);
      expect(obs.resources).toHaveLength(91);
      expect(obs.queries[1]).toBe(
        'Observation?patient=a-80000.E-14545&_count=50&cursor=a-80000.resultamb-3223',
      );
      expect((await fetchConditions(ctx)).resources).toHaveLength(43);
    });

    it('nextgen: always sends a category (the bare search is a 400), MR identifier, conditions', async () => {
      const patientId = '902d76a8-f538-409a-b540-86271ad625e3';
      const recorded = 'https://fhir.nextgen.com/nge/prod/fhir-api-r4/fhir/r4';
      const ctx = await contextFor(
        'nextgen',
        recorded,
        '/nge/prod/fhir-api-r4/fhir/r4',
        patientId,
        (req, load) => {
          const p = params(req);
          if (req.url.pathname.endsWith(`/Patient/${patientId}`))
            return { body: load('nextgen/patient-read-902d76a8.json') };
          if (req.url.pathname.endsWith('/Observation')) {
            if (!p.get('category') && !p.get('code'))
              return {
                status: 400,
                body: load('nextgen/observation-search-no-category-400-operationoutcome.json'),
              };
            // No recorded category search exists; the recorded 400 stands for a category it refuses.
            return {
              status: 400,
              body: load('nextgen/observation-search-no-category-400-operationoutcome.json'),
            };
          }
          return { body: load('nextgen/condition-search-bundle.json') };
        },
      );
      expect((await fetchPatient(ctx, NOW)).patient.mrn).toBe('000000000318');
      const labs = await fetchObservations(ctx, 'laboratory', 'all', NOW);
      expect(labs.warnings).toEqual([
        expect.objectContaining({ kind: 'not-offered', category: 'laboratory' }),
      ]);
      expect(
        server?.requests
          .filter((r) => r.url.pathname.endsWith('/Observation'))
          .every((r) => r.url.searchParams.has('category')),
      ).toBe(true);
      const conditions = await fetchConditions(ctx);
      expect(conditions.resources).toHaveLength(19);
      // NextGen keeps each onset as midnight UTC: the chart shows the date it names, not the day before in the
      // Americas.
      const onsets = mapConditions(conditions.resources).problems.map((p) => p.onset);
      expect(onsets.length).toBeGreaterThan(0);
      for (const onset of onsets) expect(onset).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(onsets).toContain('2023-04-06');
    });
  },
);
