import { afterEach, describe, expect, it } from 'vitest';
import type { Condition } from '@medplum/fhirtypes';
import { searchAll, type SearchPlan } from './paging';
import {
  searchset,
  startFakeFhirServer,
  type FakeFhirServer,
  type FakeHandler,
} from './testing/fake-fhir-server';
import type { FhirContext } from './types';

let server: FakeFhirServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const plan: SearchPlan = {
  resourceType: 'Condition',
  params: [
    ['patient', 'p1'],
    ['_count', '2'],
  ],
};
const cond = (id: string): Condition => ({
  resourceType: 'Condition',
  id,
  subject: { reference: 'Patient/p1' },
});

async function ctxFor(handler: FakeHandler, basePath = '/fhir/r4', pageCap?: number): Promise<FhirContext> {
  server = await startFakeFhirServer(handler);
  return {
    server: { fhirBaseUrl: `${server.origin}${basePath}`, vendor: 'generic', pageCap, retries: 0 },
    patientId: 'p1',
  };
}

describe('searchAll', () => {
  it('follows next links verbatim, including a path whose case changes and opaque tokens', async () => {
    const ctx = await ctxFor(({ path }) => {
      const o = server?.origin ?? '';
      if (path.startsWith('/fhir/r4/Condition?'))
        return {
          body: searchset([cond('a'), cond('b')], `${o}/fhir/R4/Condition?_count=2&patient=p1&page=2`),
        };
      if (path === '/fhir/R4/Condition?_count=2&patient=p1&page=2')
        return {
          body: searchset(
            [cond('c')],
            `${o}/fhir/r4?_getpages=a6940cc6&_getpagesoffset=4&_count=2&_bundletype=searchset&token=%2Fx%3D%3D`,
          ),
        };
      if (
        path ===
        '/fhir/r4?_getpages=a6940cc6&_getpagesoffset=4&_count=2&_bundletype=searchset&token=%2Fx%3D%3D'
      )
        return { body: searchset([cond('b'), cond('d')]) };
      return { status: 404, body: '' };
    });
    const r = await searchAll<Condition>(ctx, plan);
    expect(r.error).toBeUndefined();
    expect(r.resources.map((c) => c.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(r.queries).toEqual([
      'Condition?patient=p1&_count=2',
      '/fhir/R4/Condition?_count=2&patient=p1&page=2',
      '/fhir/r4?_getpages=a6940cc6&_getpagesoffset=4&_count=2&_bundletype=searchset&token=%2Fx%3D%3D',
    ]);
    expect(r.warnings).toEqual([]);
  });

  it('ignores Bundle.total and stops at the page cap with a truncated warning', async () => {
    let n = 0;
    const ctx = await ctxFor(
      () => {
        n++;
        return {
          body: {
            ...searchset([cond(`c${n}`)], `${server?.origin ?? ''}/fhir/r4/Condition?page=${n + 1}`),
            total: 1,
          },
        };
      },
      '/fhir/r4',
      3,
    );
    const r = await searchAll<Condition>(ctx, plan);
    expect(r.resources).toHaveLength(3);
    expect(r.warnings.map((w) => w.kind)).toEqual(['truncated']);
    // Pages are asked for one ahead, but never past the cap.
    expect(server?.requests).toHaveLength(3);
  });

  it('keeps OperationOutcome entries out of the data and reports them', async () => {
    const ctx = await ctxFor(() => ({
      body: {
        resourceType: 'Bundle',
        type: 'searchset',
        entry: [
          { resource: cond('a'), search: { mode: 'match' } },
          { resource: { resourceType: 'Provenance', id: 'pv' }, search: { mode: 'include' } },
          {
            resource: {
              resourceType: 'OperationOutcome',
              issue: [
                { severity: 'warning', code: 'suppressed', details: { text: 'Some items were withheld.' } },
              ],
            },
            search: { mode: 'outcome' },
          },
          {
            resource: {
              resourceType: 'OperationOutcome',
              issue: [{ severity: 'information', code: 'informational', diagnostics: 'ok' }],
            },
          },
        ],
      },
    }));
    const r = await searchAll<Condition>(ctx, plan);
    expect(r.resources.map((c) => c.id)).toEqual(['a']);
    expect(r.warnings).toEqual([
      { resourceType: 'Condition', kind: 'withheld', message: 'Some items were withheld.' },
    ]);
  });

  it('returns what was read with a failed warning when a middle page fails', async () => {
    const ctx = await ctxFor(({ path }) =>
      path.includes('page=2')
        ? { status: 500, body: 'boom' }
        : { body: searchset([cond('a')], `${server?.origin ?? ''}/fhir/r4/Condition?page=2`) },
    );
    const r = await searchAll<Condition>(ctx, plan);
    expect(r.error).toBeUndefined();
    expect(r.resources.map((c) => c.id)).toEqual(['a']);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]?.kind).toBe('failed');
    expect(r.warnings[0]?.message).toMatch(/partial/);
  });

  it('turns a malformed first page into a typed error', async () => {
    const ctx = await ctxFor(() => ({
      body: { resourceType: 'Bundle', type: 'searchset', entry: { not: 'an array' } },
    }));
    const r = await searchAll<Condition>(ctx, plan);
    expect(r.resources).toEqual([]);
    expect(r.error?.kind).toBe('malformed');
    const ctx2 = await ctxFor(() => ({ body: { resourceType: 'Patient', id: 'x' } }));
    expect((await searchAll<Condition>(ctx2, plan)).error?.kind).toBe('malformed');
  });

  it('refuses a next link on another origin and never requests it', async () => {
    const other = await startFakeFhirServer(() => ({ body: searchset([cond('evil')]) }));
    try {
      const ctx = await ctxFor(() => ({
        body: searchset([cond('a')], `${other.origin}/fhir/r4/Condition?page=2`),
      }));
      const r = await searchAll<Condition>(ctx, plan);
      expect(r.resources.map((c) => c.id)).toEqual(['a']);
      expect(r.warnings.map((w) => w.kind)).toEqual(['failed']);
      expect(other.requests).toHaveLength(0);
    } finally {
      await other.close();
    }
  });

  it('follows the parsed Bundle link, not an early guess from the text, and records only what it read', async () => {
    const ctx = await ctxFor(({ path }) => {
      const o = server?.origin ?? '';
      // Two "link" keys: the text's first says page=guess, JSON's last one (what the Bundle says) page=2.
      if (path.startsWith('/fhir/r4/Condition?patient'))
        return {
          body: `{"resourceType":"Bundle","type":"searchset","link":[{"relation":"next","url":"${o}/fhir/r4/Condition?page=guess"}],"link":[{"relation":"next","url":"${o}/fhir/r4/Condition?page=2"}],"entry":[{"resource":{"resourceType":"Condition","id":"a"}}]}`,
        };
      if (path.endsWith('page=guess')) return { body: searchset([cond('wrong')]), delayMs: 200 };
      if (path.endsWith('page=2')) return { body: searchset([cond('b')]) };
      return { status: 404, body: '' };
    });
    const r = await searchAll<Condition>(ctx, plan);
    expect(r.resources.map((c) => c.id)).toEqual(['a', 'b']);
    expect(r.queries).toEqual(['Condition?patient=p1&_count=2', 'Condition?page=2']);
    expect(r.warnings).toEqual([]);
  });

  it('reads a huge page (5,000 entries)', async () => {
    const many = Array.from({ length: 5000 }, (_, i) => cond(`c${i}`));
    const ctx = await ctxFor(() => ({ body: searchset(many) }));
    const r = await searchAll<Condition>(ctx, plan);
    expect(r.resources).toHaveLength(5000);
    expect(new Set(r.resources.map((c) => c.id)).size).toBe(5000);
  });

  it("leaves out what the EHR answered for another patient, and says so, keeping this patient's", async () => {
    const other = (id: string): Condition => ({ ...cond(id), subject: { reference: 'Patient/p2' } });
    const ctx = await ctxFor(({ path }) => {
      const o = server?.origin ?? '';
      if (path === '/fhir/r4/Condition?page=2') return { body: searchset([other('y'), cond('b')]) };
      if (path.startsWith('/fhir/r4/Condition?'))
        return { body: searchset([cond('a'), other('x')], `${o}/fhir/r4/Condition?page=2`) };
      return { status: 404, body: '' };
    });
    const r = await searchAll<Condition>(ctx, plan);
    expect(r.resources.map((c) => c.id)).toEqual(['a', 'b']);
    expect(r.warnings).toEqual([
      {
        resourceType: 'Condition',
        kind: 'another-patient',
        message: 'The EHR answered with 2 results for another patient; they are not shown.',
      },
    ]);
  });

  it('leaves out entries that hold no resource, counts them over every page, and says so', async () => {
    const ctx = await ctxFor(({ path }) => {
      const o = server?.origin ?? '';
      const page = (entry: unknown[], next?: string) => ({
        resourceType: 'Bundle',
        type: 'searchset',
        entry,
        ...(next ? { link: [{ relation: 'next', url: next }] } : {}),
      });
      // A resource written bare in `entry` (as vendor documentation shows it), an entry with only a URL, and one
      // whose resource has no type.
      if (path === '/fhir/r4/Condition?page=2')
        return { body: page([{ fullUrl: `${o}/fhir/r4/Condition/y` }, { resource: cond('b') }]) };
      if (path.startsWith('/fhir/r4/Condition?'))
        return {
          body: page(
            [{ resource: cond('a') }, cond('x'), { resource: { id: 'z' } }],
            `${o}/fhir/r4/Condition?page=2`,
          ),
        };
      return { status: 404, body: '' };
    });
    const r = await searchAll<Condition>(ctx, plan);
    expect(r.resources.map((c) => c.id)).toEqual(['a', 'b']);
    expect(r.warnings).toEqual([
      {
        resourceType: 'Condition',
        kind: 'unreadable',
        message:
          'The EHR’s answer held 3 entries without a FHIR resource; they are not shown, so the list may be incomplete.',
      },
    ]);
  });

  it('stops when a server links back to a page already read', async () => {
    const ctx = await ctxFor(() => ({
      body: searchset([cond('a')], `${server?.origin ?? ''}/fhir/r4/Condition?patient=p1&_count=2`),
    }));
    const r = await searchAll<Condition>(ctx, plan);
    expect(r.resources).toHaveLength(1);
    expect(server?.requests).toHaveLength(1);
  });
});
