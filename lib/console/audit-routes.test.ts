import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCursor } from '../audit/query';
import { disclosuresRoute, exportRoute, searchFormRoute, verifyRoute } from './audit-routes';
import { sealPatient } from './patient-handle';
import { summarize } from './event-fields';
import { checkExportedLine } from './export-check';
import type { ConsoleRouteDeps } from './route-deps';
import { APP, consoleUser, sameOrigin, tempAuditLog, testEnv } from './testing';
import type { ConsoleUser } from './users';

const PATIENT = 'https://ehr.example/fhir/Patient/p1';
let ctx: Awaited<ReturnType<typeof tempAuditLog>>;
let env: ConsoleRouteDeps['env'];

beforeAll(async () => {
  ctx = await tempAuditLog();
  env = testEnv();
  await ctx.log.store.append([
    {
      action: 'login',
      outcome: '0',
      tenant: 'sandbox-generic',
      user: 'https://ehr.example/fhir/Practitioner/d',
      patient: PATIENT,
      recorded: new Date('2025-01-01T10:00:00Z'),
    },
    {
      action: 'view',
      outcome: '0',
      tenant: 'sandbox-generic',
      user: 'https://ehr.example/fhir/Practitioner/d',
      patient: PATIENT,
      detail: 'vitals',
      recorded: new Date('2025-01-01T10:01:00Z'),
    },
    {
      action: 'patient-read',
      outcome: '0',
      tenant: 'other-ehr',
      user: 'https://other.example/fhir/Practitioner/e',
      patient: 'https://other.example/fhir/Patient/z9',
      patientIdentity: { name: 'Brennan, Sam', birthDate: '1980-03-04', mrn: { value: 'SBX1' } },
      recorded: new Date('2025-01-01T09:00:00Z'),
    },
    {
      action: 'access-denied',
      outcome: '8',
      outcomeDesc: 'patient-not-in-launch-context',
      tenant: 'sandbox-generic',
      patient: PATIENT,
      recorded: new Date('2025-01-01T10:02:00Z'),
    },
  ]);
});
afterAll(() => ctx.dispose());

const deps = (user: ConsoleUser | undefined): ConsoleRouteDeps => ({
  env,
  audit: ctx.log,
  currentUser: async () => user,
  users: { list: async () => [] } as unknown as ConsoleRouteDeps['users'],
  registrations: [],
});

describe('console audit routes', () => {
  it('exports a search as NDJSON for an auditor, and records the export first', async () => {
    const url = `${APP}/api/console/export?format=ndjson&patient=${encodeURIComponent(PATIENT)}&tenant=sandbox-generic`;
    const res = await exportRoute(new Request(url), deps(consoleUser('auditor')));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/fhir+ndjson');
    const lines = (await res.text()).trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines.map((l) => checkExportedLine(l)).every((c) => c.ok)).toBe(true);
    const own = await ctx.log.store.query({ tenant: 'console', actions: ['console-export'] });
    expect(own.items[0]?.event.outcome).toBe('0');
    expect(own.items[0]?.event.agent[0]?.who?.reference).toBe('console-user/id-auditor-0001');
  });

  it('exports failures only as CSV', async () => {
    const res = await exportRoute(
      new Request(`${APP}/api/console/export?format=csv&tenant=sandbox-generic&outcome=failure`),
      deps(consoleUser('admin')),
    );
    const rows = (await res.text()).split('\r\n').filter(Boolean);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain('access-denied,8,patient-not-in-launch-context');
  });

  it('refuses viewers, visitors and bad parameters, and records a refusal for want of the role', async () => {
    const refusals = async () =>
      (await ctx.log.store.query({ tenant: 'console', actions: ['access-denied'] })).items.map((i) =>
        summarize(i.event),
      );
    expect(await refusals()).toEqual([]);
    expect(
      (
        await exportRoute(
          new Request(`${APP}/api/console/export?format=csv&patient=brennan`),
          deps(consoleUser('viewer')),
        )
      ).status,
    ).toBe(403);
    expect(await refusals()).toEqual([
      expect.objectContaining({
        action: 'access-denied',
        outcome: '4',
        outcomeDesc: 'console-role',
        user: 'console-user/id-viewer-0001',
        // The path, never the query (a patient's name may be in it).
        detail: 'needs:auditor;path:/api/console/export',
      }),
    ]);
    expect((await exportRoute(new Request(`${APP}/x?format=csv`), deps(undefined))).status).toBe(401);
    expect((await exportRoute(new Request(`${APP}/x?format=xml`), deps(consoleUser('auditor')))).status).toBe(
      400,
    );
    expect(
      (
        await disclosuresRoute(
          new Request(`${APP}/x?patient=${encodeURIComponent(PATIENT)}`),
          deps(consoleUser('auditor')),
        )
      ).status,
    ).toBe(400);
  });

  it('exports the events of a patient named by name or MRN; an accounting needs the reference', async () => {
    const lookups = async () =>
      (await ctx.log.store.query({ tenant: 'console', patient: 'https://other.example/fhir/Patient/z9' }))
        .items;
    for (const [i, patient] of ['brennan', 'sbx1'].entries()) {
      const url = `${APP}/api/console/export?format=ndjson&${new URLSearchParams({ patient })}`;
      const res = await exportRoute(new Request(url), deps(consoleUser('auditor')));
      expect(res.status).toBe(200);
      const lines = (await res.text()).trimEnd().split('\n');
      const disclosures = lines.filter((l) => !l.includes('console-user/'));
      expect(disclosures).toHaveLength(1);
      expect(disclosures[0]).toContain('https://other.example/fhir/Patient/z9');
      expect(disclosures[0]).toContain('Brennan, Sam');
      // Looking the patient up by name or MRN is recorded against the patient found, before the export.
      const recorded = await lookups();
      expect(recorded).toHaveLength(i + 1);
      expect(recorded[0]!.event.agent[0]?.who?.reference).toBe('console-user/id-auditor-0001');
      expect(summarize(recorded[0]!.event)).toMatchObject({
        action: 'console-export',
        detail: 'patient-find:found',
      });
      expect(lines.length).toBe(1 + recorded.length);
    }
    const res = await exportRoute(
      new Request(`${APP}/api/console/export?format=ndjson&patient=nobody`),
      deps(consoleUser('auditor')),
    );
    expect(await res.text()).toBe('');
    const q = new URLSearchParams({ patient: 'brennan', from: '2025-01-01', to: '2025-01-02' });
    const refused = await disclosuresRoute(
      new Request(`${APP}/api/console/disclosures?${q}`),
      deps(consoleUser('auditor')),
    );
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('absolute FHIR reference');
  });

  it('answers a posted search with its page, the patient sealed: no name, birth date or MRN in any address', async () => {
    const post = (form: Record<string, string>, headers: Record<string, string> = sameOrigin) =>
      searchFormRoute(
        new Request(`${APP}/api/console/search`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(form),
        }),
        deps(consoleUser('auditor')),
      );
    const res = await post({
      page: 'events',
      patient: ' Brennan 1980-03-04 ',
      tenant: '',
      outcome: 'failure',
    });
    expect(res.status).toBe(303);
    const to = new URL(res.headers.get('location')!, APP);
    expect(to.pathname).toBe('/console');
    expect(to.href).not.toMatch(/brennan|1980/i);
    expect([...to.searchParams.keys()].sort()).toEqual(['outcome', 'pt']);
    // The sealed patient opens in the export the page links to, and in nothing else.
    const exported = await exportRoute(
      new Request(`${APP}/api/console/export?format=ndjson&pt=${to.searchParams.get('pt')}`),
      deps(consoleUser('auditor')),
    );
    expect(exported.status).toBe(200);
    expect(await exported.text()).toContain('https://other.example/fhir/Patient/z9');
    const accounting = await post({
      page: 'disclosures',
      patient: PATIENT,
      from: '2025-01-01',
      to: '2025-01-02',
    });
    const accountingTo = new URL(accounting.headers.get('location')!, APP);
    expect(accountingTo.pathname).toBe('/console/disclosures');
    expect(accountingTo.href).not.toContain('ehr.example');
    const csv = await disclosuresRoute(
      new Request(`${APP}/api/console/disclosures?${accountingTo.searchParams}`),
      deps(consoleUser('auditor')),
    );
    expect((await csv.text()).split('\r\n').filter(Boolean)).toHaveLength(2);
    // A seal that was changed, or made with another key, opens nothing.
    const other = await sealPatient(
      PATIENT,
      'another-secret-another-secret-another-secret',
      consoleUser('auditor').id,
    );
    for (const pt of [`${to.searchParams.get('pt')!.slice(0, -4)}AAAA`, other]) {
      const bad = await exportRoute(
        new Request(`${APP}/api/console/export?format=csv&${new URLSearchParams({ pt })}`),
        deps(consoleUser('auditor')),
      );
      expect(bad.status).toBe(400);
      expect(await bad.text()).toContain('search again');
    }
    // The link is the searching officer's: another auditor who finds it (a shared browser's history) searches again.
    const colleague = await exportRoute(
      new Request(`${APP}/api/console/export?format=ndjson&pt=${to.searchParams.get('pt')}`),
      deps(consoleUser('auditor', 'id-auditor-0002')),
    );
    expect(colleague.status).toBe(400);
    expect(await colleague.text()).toContain('made by another console account');
    // Another site's form is refused before the session is read.
    expect((await post({ patient: 'Brennan' }, { origin: 'https://attacker.example' })).status).toBe(403);
  });

  it('returns the accounting of disclosures as CSV', async () => {
    const q = new URLSearchParams({ patient: PATIENT, from: '2025-01-01', to: '2025-01-02' });
    const res = await disclosuresRoute(
      new Request(`${APP}/api/console/disclosures?${q}`),
      deps(consoleUser('auditor')),
    );
    const rows = (await res.text()).split('\r\n').filter(Boolean);
    expect(rows).toEqual([
      'date,until,recipient,recipientRef,ehr,what,purpose,events',
      '2025-01-01T10:01:00.000Z,2025-01-01T10:01:00.000Z,https://ehr.example/fhir/Practitioner/d,https://ehr.example/fhir/Practitioner/d,sandbox-generic,vitals,Treatment,1',
    ]);
  });

  it('runs verification on demand and records its result per chain', async () => {
    const post = (headers: Record<string, string>) =>
      new Request(`${APP}/api/console/verify`, { method: 'POST', headers });
    expect(
      (await verifyRoute(post({ origin: 'https://evil.example' }), deps(consoleUser('auditor')))).status,
    ).toBe(403);
    const res = await verifyRoute(post(sameOrigin), deps(consoleUser('auditor')));
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.ok).toBe(true);
    const last = await ctx.log.store.query({ tenant: 'console', actions: ['console-verify'] }, { limit: 1 });
    const detail = last.items[0]?.event.entity?.find((e) => e.description)?.description;
    expect(detail).toMatch(/sandbox-generic=ok:3/);
    // The next page's cursor, as the store writes it, passes the search's check of a cursor from a URL.
    const page = await ctx.log.store.query({}, { limit: 1 });
    expect(page.nextCursor).toBeDefined();
    expect(isCursor(page.nextCursor!)).toBe(true);
  });
});
