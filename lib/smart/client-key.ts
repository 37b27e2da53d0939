import 'server-only';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, importPKCS8, type CryptoKey, type JWK } from 'jose';
import { processSingleton } from '../process-singleton';

/**
 * The app's own key for SMART confidential asymmetric clients
 * (private_key_jwt): client assertions are signed with it (lib/smart/oauth-client.ts), and its
 * public half is served at /.well-known/jwks.json for EHRs to fetch.
 */

const ALG = 'ES384';

interface ClientKey {
  readonly privateKey: CryptoKey;
  readonly jwk: JWK;
}

/** Per process, keyed by the PEM: the imported key and its public JWK. */
const keys = processSingleton('smart-client-keys', () => new Map<string, Promise<ClientKey>>());

function load(pem: string): Promise<ClientKey> {
  let p = keys.get(pem);
  if (!p) {
    p = (async () => {
      const privateKey = await importPKCS8(pem, ALG);
      const pub = await exportJWK(createPublicKey(createPrivateKey(pem)));
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

/** The key client assertions are signed with, and the `kid` EHRs find it under in our JWKS. */
export async function clientSigningKey(pem: string): Promise<{ key: CryptoKey; kid: string }> {
  const { privateKey, jwk } = await load(pem);
  return { key: privateKey, kid: jwk.kid! };
}
