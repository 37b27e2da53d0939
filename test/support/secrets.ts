import { generateKeyPairSync, randomBytes } from 'node:crypto';

const pem = (k: ReturnType<typeof generateKeyPairSync>['privateKey']): string =>
  k.export({ type: 'pkcs8', format: 'pem' }).toString();

/** A fresh set of the app's secrets as variables, as a secret manager gives every instance. */
export function secretVariables() {
  return {
    SESSION_SECRET: randomBytes(32).toString('base64'),
    NEXTAUTH_SECRET: randomBytes(32).toString('base64'),
    AUDIT_SIGNING_KEY: pem(generateKeyPairSync('ed25519').privateKey),
    AUDIT_HMAC_KEY: randomBytes(32).toString('base64'),
    AUDIT_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    SMART_CLIENT_KEY: pem(generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey),
  };
}
