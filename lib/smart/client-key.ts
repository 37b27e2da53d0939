import 'server-only';
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, SignJWT, type JWK } from 'jose';
import { randomId } from './seal';

/**
 * The app's own key for SMART confidential asymmetric clients
 * (private_key_jwt): assertions are signed with it, and its public half is
 * served at /.well-known/jwks.json for EHRs to fetch.
 */

const ALG = 'ES384';

interface ClientKey {
  readonly privateKey: KeyObject;
  readonly jwk: JWK;
}

const keys = new Map<string, Promise<ClientKey>>();

function load(pem: string): Promise<ClientKey> {
  let p = keys.get(pem);
  if (!p) {
    p = (async () => {
      const privateKey = createPrivateKey(pem);
      const pub = await exportJWK(createPublicKey(privateKey));
      const kid = await calculateJwkThumbprint(pub);
      return { privateKey, jwk: { ...pub, kid, alg: ALG, use: 'sig', key_ops: ['verify'] } };
    })();
    keys.set(pem, p);
  }
  return p;
}

export async function publicJwks(pem: string): Promise<{ keys: JWK[] }> {
  const { jwk } = await load(pem);
  return { keys: [jwk] };
}

/** RFC 7523 client assertion for the token endpoint, valid for five minutes. */
export async function clientAssertion(pem: string, clientId: string, tokenEndpoint: string): Promise<string> {
  const { privateKey, jwk } = await load(pem);
  return new SignJWT({})
    .setProtectedHeader({ alg: ALG, kid: jwk.kid, typ: 'JWT' })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(tokenEndpoint)
    .setJti(randomId())
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(privateKey);
}
