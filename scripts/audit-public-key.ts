/** Prints the public half of the audit signing key (PEM), creating DATA_DIR/secrets.json on first run. */
import { publicKeyOf } from '@/lib/audit/checkpoint';
import { env, EnvError } from '@/lib/env';

let e: ReturnType<typeof env>;
try {
  e = env();
} catch (error) {
  if (!(error instanceof EnvError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
process.stdout.write(
  [e.secrets.auditSigningKey]
    .map((k) => publicKeyOf(k).export({ type: 'spki', format: 'pem' }).toString())
    .concat(e.AUDIT_PREVIOUS_SIGNING_PUBLIC_KEYS ? [e.AUDIT_PREVIOUS_SIGNING_PUBLIC_KEYS] : [])
    .join(''),
);
