import { describe, expect, it } from 'vitest';
import { sandboxRegistrations } from '../smart/registrations';
import { TimedCache } from './cached';
import { displayName, practitionerNames } from './practitioner-names';

const regs = sandboxRegistrations('http://sandbox.test');
const BASE = 'http://sandbox.test/generic/fhir';

function fakeEhr() {
  const asked: string[] = [];
  const fetch = (async (input: string | URL) => {
    const url = input.toString();
    asked.push(url);
    const id = url.split('/').pop();
    const body =
      id === 'lee'
        ? { resourceType: 'Practitioner', id, name: [{ prefix: ['Dr'], given: ['Ana'], family: 'Lee' }] }
        : { resourceType: 'OperationOutcome' };
    return new Response(JSON.stringify(body), {
      status: id === 'lee' ? 200 : 404,
      headers: { 'content-type': 'application/fhir+json' },
    });
  }) as typeof globalThis.fetch;
  return { asked, fetch };
}

describe('practitioner names for the console', () => {
  it('reads only Practitioners under a registered FHIR base, once per 10 minutes', async () => {
    const ehr = fakeEhr();
    const deps = {
      registrations: regs,
      token: () => Promise.resolve('backend-token'),
      cache: new TimedCache<string>(600_000),
      fetch: ehr.fetch,
    };
    const names = await practitionerNames(deps, [
      `${BASE}/Practitioner/lee`,
      `${BASE}/Practitioner/gone`,
      `${BASE}/Patient/p1`,
      'https://elsewhere.example/fhir/Practitioner/lee',
      'console-user/abc12345',
    ]);
    expect(names).toEqual({ [`${BASE}/Practitioner/lee`]: 'Dr Ana Lee' });
    expect(ehr.asked.sort()).toEqual([`${BASE}/Practitioner/gone`, `${BASE}/Practitioner/lee`]);
    // Neither the name found nor the EHR's refusal is asked for again within the 10 minutes.
    await practitionerNames(deps, [`${BASE}/Practitioner/lee`, `${BASE}/Practitioner/gone`]);
    expect(ehr.asked).toHaveLength(2);
  });

  it('prefers the official name and its text', () => {
    expect(
      displayName([
        { given: ['A'], family: 'B' },
        { use: 'official', text: 'Dr C D' },
      ]),
    ).toBe('Dr C D');
    expect(displayName(undefined)).toBe('');
  });
});
