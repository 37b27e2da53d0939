/** Prints the public half of the audit signing key (PEM), creating DATA_DIR/secrets.json on first run. */
import { publicKeyOf } from '@/lib/audit/checkpoint';
import { env } from '@/lib/env';

const e = env();
process.stdout.write(
  [e.secrets.auditSigningKey]
    .map((k) => publicKeyOf(k).export({ type: 'spki', format: 'pem' }).toString())
    .concat(e.AUDIT_PREVIOUS_SIGNING_PUBLIC_KEYS ? [e.AUDIT_PREVIOUS_SIGNING_PUBLIC_KEYS] : [])
    .join(''),
);
