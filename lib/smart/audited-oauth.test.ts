import { describe, expect, it } from 'vitest';
import { accessTokenId, auditedOAuth } from './audited-oauth';

const jwt = (claims: object) =>
  ['{"alg":"RS256"}', JSON.stringify(claims)].map((p) => Buffer.from(p).toString('base64url')).join('.') +
  '.sig';

describe('the OAuth context of an audit record', () => {
  it('names a JWT access token by its jti, an opaque one by a fingerprint, and never holds the token', () => {
    expect(accessTokenId(jwt({ jti: 'a1b2-c3', sub: 'u' }))).toBe('urn:ietf:params:oauth:jti:a1b2-c3');
    const opaque = 'opaque-token-5f0e9d8c7b6a';
    const id = accessTokenId(opaque);
    expect(id).toMatch(/^urn:smart-chart:token-sha256:[0-9a-f]{32}$/);
    expect(id).not.toContain(opaque);
    // The same token, the same id: the records of one token stay together; another token, another id.
    expect(accessTokenId(opaque)).toBe(id);
    expect(accessTokenId(`${opaque}x`)).not.toBe(id);
    // A JWT without a jti, or with a body that is not JSON, is fingerprinted like any opaque token.
    expect(accessTokenId(jwt({ sub: 'u' }))).toMatch(/^urn:smart-chart:token-sha256:/);
    expect(accessTokenId('a.b.c')).toMatch(/^urn:smart-chart:token-sha256:/);
  });

  it('gives the client only for a registered client, the user only with a subject', () => {
    const session = { idIssuer: 'https://ehr.example/auth', idSubject: 'u-1', accessToken: 't' };
    expect(auditedOAuth(session, { client: { type: 'public', clientId: 'c-1' } }).oauth).toMatchObject({
      clientId: 'c-1',
      issuer: 'https://ehr.example/auth',
      subject: 'u-1',
    });
    expect(auditedOAuth(session, { client: { type: 'none' } }).oauth?.clientId).toBeUndefined();
    expect(auditedOAuth({ idIssuer: 'https://x' }, {})).toEqual({});
  });
});
