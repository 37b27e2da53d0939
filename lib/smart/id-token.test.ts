import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { displayName, verifyIdToken } from './id-token';

const ISSUER = 'https://ehr.example.org';
const FHIR = 'https://ehr.example.org/fhir';

let sign: (claims: JWTPayload) => Promise<string>;
let jwks: ReturnType<typeof createLocalJWKSet>;

beforeAll(async () => {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  jwks = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), alg: 'RS256' }] });
  sign = (claims) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer(ISSUER)
      .setAudience('smart-chart')
      .setSubject('Practitioner/p1')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
});

const verify = async (claims: JWTPayload) =>
  verifyIdToken(await sign(claims), {} as never, {
    clientId: 'smart-chart',
    fhirBase: FHIR,
    issuer: ISSUER,
    jwks,
  });

describe("the clinician's name from the id_token", () => {
  it('is the name claim when the profile scope was granted', async () => {
    const identity = await verify({ fhirUser: 'Practitioner/p1', name: 'Dr. Jordan Lee' });
    expect(identity).toEqual({
      subject: 'Practitioner/p1',
      issuer: ISSUER,
      fhirUser: `${FHIR}/Practitioner/p1`,
      name: 'Dr. Jordan Lee',
    });
  });

  it('is given and family name when the token has no name claim', async () => {
    expect((await verify({ given_name: 'Jordan', family_name: 'Lee' })).name).toBe('Jordan Lee');
    expect(displayName({ family_name: '  Lee ' })).toBe('Lee');
  });

  it('is absent without profile claims, so the chart falls back to the fhirUser reference', async () => {
    expect((await verify({ fhirUser: 'Practitioner/p1' })).name).toBeUndefined();
    expect(displayName({ name: '   ', given_name: 42 })).toBeUndefined();
  });

  it('is one line of bounded length whatever the EHR sends', () => {
    expect(displayName({ name: 'Dr.\n  Jordan\tLee' })).toBe('Dr. Jordan Lee');
    expect(displayName({ name: 'x'.repeat(500) })).toHaveLength(200);
  });
});
