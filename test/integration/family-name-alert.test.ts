/**
 * The audit console's "same family name" alert against the sandbox EHR over real HTTP: the app's
 * own key signs SMART Backend Services assertions, the sandbox checks them against the app's JWKS,
 * and the alert looks both people up, reports only the pair that shares a family name, and
 * records each patient it looked up before answering.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditInput } from '../../lib/audit/types';
import { recordedDetail } from '../../lib/audit/audit-event';
import { computeFamilyNameAlert, type FamilyNameDeps } from '../../lib/console/family-name-alert';
import { tempAuditLog } from '../../lib/console/testing';
import { backendAccessToken, clearBackendTokenCache } from '../../lib/smart/backend-services';
import { publicJwks } from '../../lib/smart/client-key';
import { sandboxRegistrations, type EhrRegistration } from '../../lib/smart/registrations';
import { startHarness, type Harness } from '../../sandbox/test-support/harness';

const pem = generateKeyPairSync('ec', { namedCurve: 'P-384' })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();
const T0 = Date.UTC(2025, 4, 6, 9);
const at = (minute: number): Date => new Date(T0 + minute * 60_000);
const window = { from: at(-60), to: at(120) };

let h: Harness;
let store: Awaited<ReturnType<typeof tempAuditLog>>;
let regs: EhrRegistration[];
let epic: string;
let open: string;
let cerner: string;
const fetched: string[] = [];

const recordingFetch: typeof fetch = (input, init) => {
  fetched.push(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
  return fetch(input, init);
};

function deps(overrides: Partial<FamilyNameDeps> = {}): FamilyNameDeps {
  return {
    source: store.log.store,
    audit: store.log,
    registrations: regs,
    consoleUserId: 'auditor-1',
    sourceIp: '127.0.0.1',
    token: (reg) => backendAccessToken(reg, { clientKeyPem: pem, allowHttp: true, fetch: recordingFetch }),
    fetch: recordingFetch,
    ...overrides,
  };
}

const disclosure = (
  tenant: string,
  base: string,
  user: string,
  patient: string,
  minute: number,
  extra: Partial<AuditInput> = {},
): AuditInput => ({
  action: 'view',
  outcome: '0',
  tenant,
  user: `${base}/${user}`,
  patient: `${base}/Patient/${patient}`,
  detail: 'labs',
  recorded: at(minute),
  ...extra,
});

beforeAll(async () => {
  h = await startHarness({ extraAppKeys: (await publicJwks(pem)).keys });
  regs = sandboxRegistrations(h.sandbox.url);
  const base = (id: string): string => regs.find((r) => r.id === id)?.issuer ?? '';
  epic = base('sandbox-epic');
  open = base('sandbox-open');
  cerner = base('sandbox-cerner');
  store = await tempAuditLog();
  await store.log.store.append([
    // (a) Dr Lee opens Naomi Lee twice, at the Epic-like EHR (backend services token).
    disclosure('sandbox-epic', epic, 'Practitioner/sbx-dr-lee', 'sbx-adult-lee', 1),
    disclosure('sandbox-epic', epic, 'Practitioner/sbx-dr-lee', 'sbx-adult-lee', 5, {
      action: 'patient-read',
      resourceTypes: ['Patient'],
    }),
    // (b) Dr Lee opens Marcus Brennan: no shared family name.
    disclosure('sandbox-epic', epic, 'Practitioner/sbx-dr-lee', 'sbx-adult-htn', 3, {
      action: 'patient-query',
      resourceTypes: ['Observation'],
    }),
    // Dr Okafor opens Naomi Lee: no shared family name.
    disclosure('sandbox-epic', epic, 'Practitioner/sbx-dr-okafor', 'sbx-adult-lee', 4),
    // A failed read is not a disclosure.
    disclosure('sandbox-epic', epic, 'Practitioner/sbx-dr-okafor', 'sbx-adult-healthy', 6, { outcome: '8' }),
    // (a) again, at the open server: no token needed.
    disclosure('sandbox-open', open, 'Practitioner/sbx-dr-lee', 'sbx-adult-lee', 7),
    // References outside the EHR's base are never fetched.
    {
      ...disclosure('sandbox-epic', epic, 'Practitioner/sbx-dr-lee', 'sbx-adult-lee', 8),
      user: 'https://elsewhere.example/fhir/Practitioner/sbx-dr-lee',
    },
    // An EHR the app has no registration for.
    disclosure('unregistered', 'https://unregistered.example/fhir', 'Practitioner/x', 'y', 9),
  ]);
}, 120_000);

afterAll(async () => {
  await store?.dispose();
  await h?.close();
});

describe('same family name alert (sandbox EHR, SMART Backend Services)', () => {
  it('reports only the user and patient who share a family name, and audits the lookups', async () => {
    clearBackendTokenCache();
    fetched.length = 0;
    const report = await computeFamilyNameAlert(deps(), window);

    expect(report.matches).toEqual([
      {
        tenant: 'sandbox-open',
        user: `${open}/Practitioner/sbx-dr-lee`,
        patient: `${open}/Patient/sbx-adult-lee`,
        count: 1,
        last: at(7).toISOString(),
      },
      {
        tenant: 'sandbox-epic',
        user: `${epic}/Practitioner/sbx-dr-lee`,
        patient: `${epic}/Patient/sbx-adult-lee`,
        count: 2,
        last: at(5).toISOString(),
      },
    ]);
    expect(report.pairs).toBe(4);
    expect(report.compared).toBe(4);
    expect(report.cut).toBe(false);
    expect(report.timedOut).toBe(false);
    expect(report.problems).toEqual([]);
    expect(report.unsupported).toEqual(['unregistered']);

    // Only the registered issuers' FHIR bases, their discovery and the token endpoint were asked.
    const allowed = [epic, open, h.sandbox.endpoints.token];
    expect(fetched.length).toBeGreaterThan(0);
    for (const url of fetched)
      expect(
        allowed.some((prefix) => url.startsWith(prefix)),
        url,
      ).toBe(true);
    expect(fetched.some((url) => url.includes('elsewhere.example'))).toBe(false);
    expect(fetched.filter((url) => url === h.sandbox.endpoints.token)).toHaveLength(1);

    // Each patient looked up is a recorded disclosure to the console user.
    expect(report.audited).toBe(3);
    const { items } = await store.log.store.query({
      user: 'console-user/auditor-1',
      actions: ['patient-read'],
    });
    const recorded = items
      .map((i) => {
        const what = recordedDetail(i.event);
        const patient = i.event.entity?.find((e) => e.role?.code === '1')?.what?.reference;
        return `${i.tenant} ${patient ?? ''} ${what ?? ''}`;
      })
      .sort();
    expect(recorded).toEqual([
      `sandbox-epic ${epic}/Patient/sbx-adult-htn family-name-alert`,
      `sandbox-epic ${epic}/Patient/sbx-adult-lee family-name-alert`,
      `sandbox-open ${open}/Patient/sbx-adult-lee family-name-alert`,
    ]);
    // No names in what is recorded.
    expect(JSON.stringify(items.map((i) => i.event))).not.toMatch(/Naomi|Brennan|"Lee"/);
  });

  it('says when the bound cut the work, and reuses the cached token', async () => {
    fetched.length = 0;
    const report = await computeFamilyNameAlert(deps(), { ...window, maxPairs: 1 });
    expect(report.cut).toBe(true);
    expect(report.maxPairs).toBe(1);
    // The newest pair only: Dr Lee and Naomi Lee at the open server.
    expect(report.matches.map((m) => m.tenant)).toEqual(['sandbox-open']);
    expect(fetched).not.toContain(h.sandbox.endpoints.token);
  });

  it('names an EHR that could not be asked and fails closed when the lookups cannot be recorded', async () => {
    const refused = regs.map((r) =>
      r.id === 'sandbox-cerner'
        ? {
            ...r,
            backendServices: {
              clientId: 'not-registered',
              scopes: 'system/Patient.read',
              resourceIndicator: true,
            },
          }
        : r,
    );
    await store.log.store.append([
      disclosure('sandbox-cerner', cerner, 'Practitioner/sbx-dr-lee', 'sbx-adult-lee', 10),
    ]);
    const report = await computeFamilyNameAlert(deps({ registrations: refused }), window);
    expect(report.problems).toEqual([
      expect.objectContaining({
        tenant: 'sandbox-cerner',
        problem: expect.stringContaining('invalid_client'),
      }),
    ]);
    expect(report.matches.map((m) => m.tenant).sort()).toEqual(['sandbox-epic', 'sandbox-open']);

    const failing = { record: () => Promise.reject(new Error('audit store down')) };
    await expect(computeFamilyNameAlert(deps({ audit: failing }), window)).rejects.toThrow(
      'audit store down',
    );
  });
});
