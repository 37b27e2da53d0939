import type { AllergyIntolerance, Bundle } from '@medplum/fhirtypes';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeEhrDeps, startFakeEhr, type FakeEhr } from '../../test/fake-ehr';
import { MemoryAuditLog } from '../../test/memory-audit';
import { fhirGet } from '../fhir/http';
import { createLogger } from '../log';
import { requestOptions } from '../fhir/paging';
import { beginLaunch, completeLaunch, type FlowDeps } from '../smart/launch-flow';
import type { LaunchStore } from '../state/launch-store';
import { memoryLaunchStore } from '../state/testing';
import { chartDataRoute, widgetRoute } from './chart-handlers';
import { prefetchChart } from './prefetch';
import { viewRoute } from './session-handlers';
import { SERVER_WIDGETS, type ServerWidget, type ServerWidgets } from './widgets';

/**
 * A widget declared in the registry alone gets a route, a place in the
 * server prefetch and in the view report, and every read of it is audited.
 * Its UI half is proved in components/chart/widget-registry.test.tsx.
 */
const APP = 'http://localhost:3998';

const allergies: ServerWidget<AllergyIntolerance[]> = {
  id: 'allergies',
  route: 'allergies',
  takesRange: false,
  prefetch: true,
  async read(fhir) {
    const query = `AllergyIntolerance?patient=${encodeURIComponent(fhir.patientId)}`;
    const res = await fhirGet(`${fhir.server.fhirBaseUrl}/${query}`, requestOptions(fhir));
    const bundle = res.body as Bundle<AllergyIntolerance>;
    return {
      result: (bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : [])),
      warnings: [],
      queries: [query],
    };
  },
  map: (list) => ({ allergies: list.map((a) => a.code?.text ?? 'Unnamed') }),
  disclosure: () => ({ action: 'patient-query', resourceTypes: ['AllergyIntolerance'], detail: 'allergies' }),
};
const widgets = { ...SERVER_WIDGETS, allergies };

let ehr: FakeEhr;
let launches: LaunchStore;
let audit: MemoryAuditLog;
let deps: FlowDeps;

beforeAll(async () => {
  ehr = await startFakeEhr('test-client');
  ehr.fhir.set('AllergyIntolerance', {
    resourceType: 'Bundle',
    type: 'searchset',
    entry: [
      {
        resource: {
          resourceType: 'AllergyIntolerance',
          patient: { reference: 'Patient/p-1' },
          code: { text: 'Penicillin' },
        },
      },
    ],
  });
  launches = await memoryLaunchStore();
  audit = new MemoryAuditLog();
  deps = fakeEhrDeps(ehr, { appUrl: APP, audit, launches });
});
afterAll(async () => {
  await ehr.close();
  await launches.close();
});

const cookies = (res: Response) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .filter((c) => !c.endsWith('='))
    .join('; ');

/** An EHR launch through the real flow; returns the launch id and the browser's cookie header. */
async function launch() {
  const begin = await beginLaunch(
    new Request(`${APP}/launch?iss=${encodeURIComponent(ehr.fhirBase)}&launch=L-1`),
    deps,
  );
  const state = new URL(begin.headers.get('location')!).searchParams.get('state')!;
  const done = await completeLaunch(
    new Request(`${APP}/callback?state=${state}&code=C-1`, { headers: { cookie: cookies(begin) } }),
    deps,
  );
  return { launchId: done.headers.get('location')!.split('/').pop()!, cookie: cookies(done) };
}

/** A widget's route asked as the launched browser asks it: GET /api/chart/<launch>/<widget><query>. */
function askWidget(
  { launchId, cookie }: { launchId: string; cookie: string },
  widget: string,
  query = '',
  registry: ServerWidgets = SERVER_WIDGETS,
): Promise<Response> {
  return widgetRoute(
    new Request(`${APP}/api/chart/${launchId}/${widget}${query}`, { headers: { cookie } }),
    launchId,
    widget,
    deps,
    registry,
  );
}

describe('chart data asked by another site', () => {
  it('is refused and recorded when a page of another site (or of the EHR beside the app) asks', async () => {
    const l = await launch();
    for (const [site, mode] of [
      ['cross-site', 'cors'],
      ['cross-site', 'no-cors'],
      ['cross-site', 'navigate'],
      ['same-site', 'cors'],
      ['same-site', 'navigate'],
    ] as const) {
      const before = audit.records.length;
      const res = await chartDataRoute(
        new Request(`${APP}/api/chart/${l.launchId}/patient`, {
          headers: { cookie: l.cookie, 'sec-fetch-site': site, 'sec-fetch-mode': mode },
        }),
        l.launchId,
        'patient',
        deps,
      );
      expect(res.status, `${site} ${mode}`).toBe(403);
      expect(audit.records.slice(before)).toEqual([
        expect.objectContaining({
          action: 'access-denied',
          outcomeDesc: 'cross-site-request',
          launchId: l.launchId,
        }),
      ]);
    }
  });

  it("is served to the chart's own page, to an address typed by hand, and to a client without Fetch Metadata", async () => {
    ehr.fhir.set('Patient/p-1', { resourceType: 'Patient', id: 'p-1' });
    const l = await launch();
    for (const site of ['same-origin', 'none', undefined]) {
      const res = await chartDataRoute(
        new Request(`${APP}/api/chart/${l.launchId}/patient`, {
          headers: { cookie: l.cookie, ...(site ? { 'sec-fetch-site': site } : {}) },
        }),
        l.launchId,
        'patient',
        deps,
      );
      expect(res.status, String(site)).toBe(200);
    }
  });
});

describe('a widget added through the registry alone', () => {
  it('is served by the chart route, mapped, and audited before it leaves', async () => {
    const { launchId, cookie } = await launch();
    const res = await askWidget({ launchId, cookie }, 'allergies', '', widgets);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ data: { allergies: ['Penicillin'] }, warnings: [] });
    expect(audit.last()).toMatchObject({
      action: 'patient-query',
      outcome: '0',
      launchId,
      patient: `${ehr.fhirBase}/Patient/p-1`,
      resourceTypes: ['AllergyIntolerance'],
      query: 'AllergyIntolerance?patient=p-1',
      detail: 'allergies',
    });
  });

  it('is not served, and discloses nothing, without its declaration', async () => {
    const { launchId, cookie } = await launch();
    const before = audit.records.length;
    const res = await askWidget({ launchId, cookie }, 'allergies');
    expect(res.status).toBe(404);
    expect(audit.records.length).toBe(before);
  });

  it('is read by the server prefetch, audited like any read', async () => {
    const { launchId, cookie } = await launch();
    const first = await prefetchChart(launchId, new Headers({ cookie }), { allergies }, deps);
    expect(first).toEqual([
      {
        widget: allergies,
        range: '1y',
        body: expect.objectContaining({ data: { allergies: ['Penicillin'] } }),
      },
    ]);
    expect(audit.last()).toMatchObject({ detail: 'allergies', launchId });
  });

  it('may be named in a view report, which an unknown panel may not', async () => {
    const { launchId, cookie } = await launch();
    const view = (panel: string, registry: ServerWidgets = widgets) =>
      viewRoute(
        new Request(`${APP}/api/chart/${launchId}/view`, {
          method: 'POST',
          headers: { cookie, origin: APP, 'content-type': 'application/json' },
          body: JSON.stringify({ panel }),
        }),
        launchId,
        deps,
        registry,
      );
    expect((await view('allergies')).status).toBe(201);
    expect(audit.last()).toMatchObject({ action: 'view', detail: 'allergies', launchId });
    const refused = await view('allergies', SERVER_WIDGETS);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('banner, vitals, labs, problems');
  });

  it('takes a view report of a few bytes only, and stops reading a larger body', async () => {
    const { launchId, cookie } = await launch();
    const headers = { cookie, origin: APP, 'content-type': 'application/json' };
    const before = audit.records.length;
    // Said in advance, or only found out while reading (no content-length): 413 either way, nothing recorded.
    const padded = JSON.stringify({ panel: 'allergies', pad: 'x'.repeat(10_000) });
    const declared = await viewRoute(
      new Request(`${APP}/api/chart/${launchId}/view`, { method: 'POST', headers, body: padded }),
      launchId,
      deps,
      widgets,
    );
    expect(declared.status).toBe(413);
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(1024).fill(0x20));
      },
    });
    const streamed = await viewRoute(
      new Request(`${APP}/api/chart/${launchId}/view`, {
        method: 'POST',
        headers,
        body: endless,
        duplex: 'half',
      } as RequestInit),
      launchId,
      deps,
      widgets,
    );
    expect(streamed.status).toBe(413);
    expect(pulled).toBeLessThan(10);
    expect(audit.records.length).toBe(before);
  });
});

describe('the growth widget', () => {
  const patient = (birthDate: string) => ({
    resourceType: 'Patient',
    id: 'p-1',
    gender: 'female',
    birthDate,
  });
  /** What one growth read recorded, as (action, resource types, detail), in a stable order. */
  const growth = async () => {
    const { launchId, cookie } = await launch();
    const before = audit.records.length;
    const res = await askWidget({ launchId, cookie }, 'growth');
    expect(res.status).toBe(200);
    return audit.records
      .slice(before)
      .map((r) => [r.action, r.resourceTypes, r.detail])
      .sort();
  };

  it("records an adult's read as the Patient alone, and a child's as the Patient and the vital signs", async () => {
    ehr.fhir.set('Observation', { resourceType: 'Bundle', type: 'searchset', entry: [] });
    ehr.fhir.set('Patient/p-1', patient('1970-05-01'));
    expect(await growth()).toEqual([['patient-read', ['Patient'], 'growth']]);
    ehr.fhir.set('Patient/p-1', patient(`${new Date().getUTCFullYear() - 4}-05-01`));
    expect(await growth()).toEqual([
      ['patient-query', ['Observation'], 'growth'],
      ['patient-read', ['Patient'], 'growth'],
    ]);
    ehr.fhir.delete('Patient/p-1');
  });

  it('charts a child who died young by the age at death, whatever the years since', async () => {
    const weight = {
      resourceType: 'Observation',
      id: 'w-1',
      status: 'final',
      category: [
        {
          coding: [
            { system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' },
          ],
        },
      ],
      code: { coding: [{ system: 'http://loinc.org', code: '29463-7' }] },
      effectiveDateTime: '1990-06-18T16:12:00Z',
      valueQuantity: { value: 24.4, unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' },
    };
    ehr.fhir.set('Observation', { resourceType: 'Bundle', type: 'searchset', entry: [{ resource: weight }] });
    const shown = async (deceased: Record<string, unknown>) => {
      ehr.fhir.set('Patient/p-1', { ...patient('1981-02-02'), ...deceased });
      const { launchId, cookie } = await launch();
      const res = await askWidget({ launchId, cookie }, 'growth');
      expect(res.status).toBe(200);
      const body = (await res.json()) as { data: { shown: boolean; charts: { measure: string }[] } };
      return body.data.shown ? body.data.charts.map((c) => c.measure) : undefined;
    };
    // Died at 9: a weight-for-age chart, though the patient would be over 40 now.
    expect(await shown({ deceasedDateTime: '1990-09-26T16:12:57Z' })).toEqual(['weight']);
    // Deceased with no date: aged at the last vital sign, 9 years.
    expect(await shown({ deceasedBoolean: true })).toEqual(['weight']);
    // Died at 45, or living at over 40: no growth chart.
    expect(await shown({ deceasedDateTime: '2026-03-01T00:00:00Z' })).toBeUndefined();
    expect(await shown({})).toBeUndefined();
    ehr.fhir.delete('Patient/p-1');
  });
});

describe('the labs widget', () => {
  it('records each FHIR interaction on its own: the Observation search and the Patient read', async () => {
    ehr.fhir.set('Observation', { resourceType: 'Bundle', type: 'searchset', entry: [] });
    ehr.fhir.set('Patient/p-1', {
      resourceType: 'Patient',
      id: 'p-1',
      gender: 'male',
      birthDate: '1960-01-01',
    });
    const { launchId, cookie } = await launch();
    const before = audit.records.length;
    const res = await askWidget({ launchId, cookie }, 'labs', '?range=all');
    expect(res.status).toBe(200);
    const records = audit.records.slice(before);
    const read = records.filter((r) => r.action === 'patient-read');
    const searches = records.filter((r) => r.action === 'patient-query');
    expect(read).toEqual([
      expect.objectContaining({
        resourceTypes: ['Patient'],
        resourceRefs: ['Patient/p-1'],
        query: 'Patient/p-1',
        detail: 'laboratory',
        launchId,
        outcome: '0',
      }),
    ]);
    expect(searches.length).toBeGreaterThan(0);
    for (const s of searches) {
      expect(s).toMatchObject({ resourceTypes: ['Observation'], detail: 'laboratory', launchId });
      expect(s.query).toMatch(/^Observation\?/);
      expect(s.query).toContain('category=laboratory');
    }
    // One interaction per record: no record folds two queries together.
    expect(records.every((r) => !r.query?.includes('\n'))).toBe(true);
    expect(records).toHaveLength(searches.length + 1);
    ehr.fhir.delete('Patient/p-1');
  });
});

describe("a chart's panels", () => {
  it('read the Patient from the EHR once for a launch, and every record still names the patient', async () => {
    ehr.fhir.set('Observation', { resourceType: 'Bundle', type: 'searchset', entry: [] });
    ehr.fhir.set('Condition', { resourceType: 'Bundle', type: 'searchset', entry: [] });
    ehr.fhir.set('Patient/p-1', {
      resourceType: 'Patient',
      id: 'p-1',
      name: [{ family: 'Brennan', given: ['Sam'] }],
      gender: 'male',
      birthDate: '1960-01-01',
    });
    const l = await launch();
    const before = { requests: ehr.requests.length, records: audit.records.length };
    const routes = ['patient', 'vitals?range=1y', 'labs?range=1y', 'smoking', 'growth'];
    const answers = await Promise.all(
      routes.map((r) => {
        const [widget = '', query] = r.split('?');
        return askWidget(l, widget, query ? `?${query}` : '');
      }),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    const patientReads = ehr.requests.slice(before.requests).filter((p) => p === '/fhir/Patient/p-1');
    expect(patientReads).toHaveLength(1);
    const records = audit.records.slice(before.records);
    expect(records.filter((r) => r.query === 'Patient/p-1')).toHaveLength(1);
    // Each panel's records name whom its data is about, read or shared.
    for (const detail of [undefined, 'vital-signs', 'laboratory', 'smoking', 'growth']) {
      const mine = records.filter((r) => r.detail === detail);
      expect(mine.length, String(detail)).toBeGreaterThan(0);
      for (const r of mine) expect(r.patientIdentity, String(detail)).toMatchObject({ name: 'Brennan, Sam' });
    }
    // A range change in the same launch reads the Observations again, not the Patient.
    const again = await askWidget(l, 'vitals', '?range=all');
    expect(again.status).toBe(200);
    expect(ehr.requests.slice(before.requests).filter((p) => p === '/fhir/Patient/p-1')).toHaveLength(1);
    ehr.fhir.delete('Patient/p-1');
  });
});

describe("an EHR answering with another patient's results", () => {
  it('has them left out of the answer and the record, says so, and tells the operators without naming anyone', async () => {
    // The other patient's value has more decimals than any time in the answer or a log line, so finding it in
    // either cannot be a timestamp's seconds ("…:07.1…Z").
    const theirValue = '7.193718';
    const obs = (id: string, patient: string) => ({
      resourceType: 'Observation',
      id,
      status: 'final',
      category: [
        {
          coding: [
            { system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' },
          ],
        },
      ],
      code: { coding: [{ system: 'http://loinc.org', code: '718-7' }], text: 'Hemoglobin' },
      subject: { reference: `Patient/${patient}` },
      effectiveDateTime: new Date(Date.now() - 86_400_000).toISOString(),
      valueQuantity: {
        value: id === 'mine' ? 13.5 : Number(theirValue),
        unit: 'g/dL',
        system: 'http://unitsofmeasure.org',
        code: 'g/dL',
      },
    });
    ehr.fhir.set('Observation', {
      resourceType: 'Bundle',
      type: 'searchset',
      entry: [{ resource: obs('mine', 'p-1') }, { resource: obs('theirs', 'another-patient-2') }],
    });
    ehr.fhir.set('Patient/p-1', {
      resourceType: 'Patient',
      id: 'p-1',
      birthDate: '1970-01-01',
      gender: 'female',
    });
    const lines: string[] = [];
    const log = createLogger(
      new Writable({
        write(chunk: Buffer, _enc, done) {
          lines.push(chunk.toString());
          done();
        },
      }),
      'info',
    );
    const logged = { ...deps, log };
    try {
      const { launchId, cookie } = await launch();
      const res = await widgetRoute(
        new Request(`${APP}/api/chart/${launchId}/labs?range=1y`, { headers: { cookie } }),
        launchId,
        'labs',
        logged,
      );
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).toContain('13.5');
      expect(text).not.toContain(theirValue);
      expect(text).not.toContain('theirs');
      const body = JSON.parse(text) as { warnings: { kind: string; message: string }[] };
      expect(body.warnings).toEqual([
        expect.objectContaining({
          kind: 'another-patient',
          message: 'The EHR answered with a result for another patient; it is not shown.',
        }),
      ]);
      const line = lines
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((l) => l.event === 'ehr-answered-another-patient');
      expect(line).toMatchObject({ launchId, registration: 'fake', resourceTypes: ['Observation'] });
      expect(lines.join('')).not.toMatch(
        new RegExp(`another-patient-2|theirs|${theirValue.replace('.', '\\.')}`),
      );
    } finally {
      ehr.fhir.delete('Observation');
      ehr.fhir.delete('Patient/p-1');
    }
  });
});

describe('the banner', () => {
  it("records the patient's name, birth date and MRN (the vendor's rule) in the disclosure", async () => {
    ehr.fhir.set('Patient/p-1', {
      resourceType: 'Patient',
      id: 'p-1',
      name: [{ use: 'official', family: 'Brennan', given: ['Sam'] }],
      birthDate: '1980-03-04',
      identifier: [
        { system: 'urn:other', value: 'X-1' },
        { type: { coding: [{ code: 'MR' }] }, system: 'urn:oid:1.2.3', value: 'SBX0100001' },
      ],
    });
    const { launchId, cookie } = await launch();
    const res = await askWidget({ launchId, cookie }, 'patient');
    expect(res.status).toBe(200);
    expect(audit.last()).toMatchObject({
      action: 'patient-read',
      patient: `${ehr.fhirBase}/Patient/p-1`,
      patientIdentity: {
        name: 'Brennan, Sam',
        birthDate: '1980-03-04',
        mrn: { system: 'urn:oid:1.2.3', value: 'SBX0100001' },
      },
    });
    ehr.fhir.delete('Patient/p-1');
  });

  describe("a deceased patient's cause of death", () => {
    const cause = {
      resourceType: 'Observation',
      id: 'cod-1',
      status: 'final',
      category: [
        { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'exam' }] },
      ],
      code: { coding: [{ system: 'http://loinc.org', code: '69453-9' }] },
      effectiveDateTime: '1990-10-01T16:12:57Z',
      valueCodeableConcept: {
        coding: [{ system: 'http://snomed.info/sct', code: '95281009', display: 'Sudden Cardiac Death' }],
      },
    };
    const person = (deceased: Record<string, unknown>) => ({
      resourceType: 'Patient',
      id: 'p-1',
      name: [{ family: 'Blick', given: ['Rashad'] }],
      birthDate: '1981-02-02',
      ...deceased,
    });
    /** The banner's answer and what it recorded, as (action, resource types, detail, query). */
    const banner = async () => {
      const { launchId, cookie } = await launch();
      const before = audit.records.length;
      const res = await askWidget({ launchId, cookie }, 'patient');
      expect(res.status).toBe(200);
      const body = (await res.json()) as {
        data: { causeOfDeath?: unknown };
        warnings: { kind: string; message: string }[];
      };
      const records = audit.records
        .slice(before)
        .map((r) => [r.action, r.resourceTypes, r.detail, r.query])
        .sort();
      return { body, records };
    };

    it('is read and shown for a deceased patient, the search recorded as a query of its own', async () => {
      ehr.fhir.set('Observation', {
        resourceType: 'Bundle',
        type: 'searchset',
        entry: [{ resource: cause }],
      });
      ehr.fhir.set('Patient/p-1', person({ deceasedDateTime: '1990-09-26T16:12:57Z' }));
      const { body, records } = await banner();
      expect(body.data.causeOfDeath).toEqual({ causes: ['Sudden Cardiac Death'], preliminary: false });
      expect(body.warnings).toEqual([]);
      expect(records).toEqual([
        [
          'patient-query',
          ['Observation'],
          'banner',
          'Observation?patient=p-1&code=http%3A%2F%2Floinc.org%7C69453-9&_count=100',
        ],
        ['patient-read', ['Patient'], 'banner', 'Patient/p-1'],
      ]);
    });

    it('is never asked for a living patient: the banner stays the Patient read alone', async () => {
      ehr.fhir.set('Observation', {
        resourceType: 'Bundle',
        type: 'searchset',
        entry: [{ resource: cause }],
      });
      ehr.fhir.set('Patient/p-1', person({}));
      const { body, records } = await banner();
      expect(body.data.causeOfDeath).toBeUndefined();
      expect(records).toEqual([['patient-read', ['Patient'], undefined, 'Patient/p-1']]);
    });

    it('that the EHR fails to give leaves the banner, with a warning, and the failed search recorded', async () => {
      ehr.fhir.delete('Observation');
      ehr.fhirFaults.set('Observation', 500);
      ehr.fhir.set('Patient/p-1', person({ deceasedBoolean: true }));
      try {
        const { body, records } = await banner();
        expect(body.data.causeOfDeath).toBeUndefined();
        expect(body.warnings).toEqual([
          expect.objectContaining({
            kind: 'failed',
            message: expect.stringMatching(/^The cause of death could not be read/),
          }),
        ]);
        expect(records.map((r) => r.slice(0, 3))).toEqual([
          ['patient-query', ['Observation'], 'banner'],
          ['patient-read', ['Patient'], 'banner'],
        ]);
      } finally {
        ehr.fhirFaults.delete('Observation');
        ehr.fhir.delete('Patient/p-1');
      }
    });
  });
});
