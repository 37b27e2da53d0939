import { describe, expect, it } from 'vitest';
import { describeSearch, parseSearch, searchToParams, toFilter, withDefaultRange } from './search-params';

describe('console search parameters', () => {
  it('turns a form into a store filter', () => {
    const r = parseSearch(
      new URLSearchParams({
        patient: 'https://ehr.example/fhir/Patient/1',
        outcome: 'failure',
        action: 'view',
        from: '2025-01-01T08:00',
        to: '2025-01-02',
        user: '',
      }),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(toFilter(r.search)).toEqual({
      patient: 'https://ehr.example/fhir/Patient/1',
      outcome: 'failure',
      actions: ['view'],
      from: new Date('2025-01-01T08:00:00Z'),
      to: new Date('2025-01-02T00:00:00Z'),
    });
    expect(describeSearch(r.search)).toBe('filters:patient,action,outcome,from,to');
    const again = searchToParams(r.search, 'SEALED');
    expect(again.get('from')).toBe('2025-01-01T08:00:00.000Z');
    // The patient only ever sealed in the links the console makes.
    expect(again.get('pt')).toBe('SEALED');
    expect(again.has('patient')).toBe(false);
    expect(() => searchToParams(r.search, undefined)).toThrow(/sealed/);
  });

  it('refuses a relative patient reference, an unknown action and a backwards range', () => {
    expect(parseSearch(new URLSearchParams({ patient: 'Patient/1' })).ok).toBe(false);
    expect(parseSearch(new URLSearchParams({ action: 'delete' })).ok).toBe(false);
    expect(parseSearch(new URLSearchParams({ from: '2025-02-01', to: '2025-01-01' })).ok).toBe(false);
    expect(parseSearch(new URLSearchParams({ from: 'yesterday' })).ok).toBe(false);
    // Past what the database can hold, and page cursors it never wrote: a clear refusal, not a server error.
    expect(parseSearch(new URLSearchParams({ from: '+275760-09-13T00:00:00.000Z' })).ok).toBe(false);
    expect(parseSearch(new URLSearchParams({ cursor: 'AAAA' })).ok).toBe(false);
    const forged = Buffer.from(JSON.stringify({ r: 'x', t: 'y', s: 1 })).toString('base64url');
    expect(parseSearch(new URLSearchParams({ cursor: forged })).ok).toBe(false);
    const written = Buffer.from(
      JSON.stringify({ r: '2025-01-01T00:00:00.000Z', t: 'sandbox-epic', s: 3 }),
    ).toString('base64url');
    expect(parseSearch(new URLSearchParams({ cursor: written })).ok).toBe(true);
  });

  it('takes a name, a birth date or an MRN for the patient, left to the patient finder', () => {
    for (const patient of ['Brennan', "O'Brien, Zoë", '1980-03-04', 'SBX0100001', 'urn:oid:1.2|SBX1']) {
      const r = parseSearch(new URLSearchParams({ patient, action: 'view' }));
      expect(r.ok, patient).toBe(true);
      if (!r.ok) continue;
      expect(r.search.patient).toBe(patient);
      expect(toFilter(r.search)).toEqual({ actions: ['view'] });
      expect(describeSearch(r.search)).toBe('filters:patient-find,action');
    }
    const bad = parseSearch(new URLSearchParams({ patient: ' -- ' }));
    expect(bad).toEqual({ ok: false, errors: [expect.stringContaining('enter a name, a birth date')] });
    expect(parseSearch(new URLSearchParams({ patient: 'https://' })).ok).toBe(false);
  });

  it('accepts every audit action, sign-out included', () => {
    for (const action of ['console-logout', 'rate-limited', 'patient-read'])
      expect(parseSearch(new URLSearchParams({ action })).ok).toBe(true);
    expect(parseSearch(new URLSearchParams({ action: 'console-nap' })).ok).toBe(false);
  });

  it('covers the last 30 days when a search names neither start nor end', () => {
    const now = new Date('2025-03-31T12:00:00Z');
    expect(withDefaultRange({}, now)).toEqual({ from: new Date('2025-03-01T12:00:00Z') });
    const to = new Date('2025-01-01T00:00:00Z');
    expect(withDefaultRange({ to }, now)).toEqual({ to });
  });
});
