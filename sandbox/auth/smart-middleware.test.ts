import { describe, expect, it } from 'vitest';
import { smartAuthorizationUrl } from './smart-middleware';

const base = 'http://localhost:4000/oauth/auth';

describe('smartAuthorizationUrl', () => {
  it('turns aud into the resource indicator and keeps every other parameter', () => {
    const mapped = smartAuthorizationUrl(
      new URL(`${base}?client_id=c&aud=${encodeURIComponent('http://localhost:4000/epic/fhir')}&launch=l`),
    );
    expect(mapped.searchParams.get('resource')).toBe('http://localhost:4000/epic/fhir');
    expect(mapped.searchParams.get('client_id')).toBe('c');
    expect(mapped.searchParams.get('launch')).toBe('l');
  });

  it('leaves an explicit resource alone (the aud check then compares them)', () => {
    const mapped = smartAuthorizationUrl(new URL(`${base}?aud=a&resource=b`));
    expect(mapped.searchParams.getAll('resource')).toEqual(['b']);
  });

  it('asks for consent when offline_access is requested without a prompt, never overriding one', () => {
    expect(
      smartAuthorizationUrl(new URL(`${base}?scope=openid%20offline_access`)).searchParams.get('prompt'),
    ).toBe('consent');
    expect(
      smartAuthorizationUrl(new URL(`${base}?scope=offline_access&prompt=none`)).searchParams.get('prompt'),
    ).toBe('none');
    expect(smartAuthorizationUrl(new URL(`${base}?scope=openid`)).searchParams.has('prompt')).toBe(false);
  });
});
