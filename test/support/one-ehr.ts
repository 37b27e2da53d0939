import { parseRegistrations } from '../../lib/smart/registrations';
import type { LaunchSession } from '../../lib/smart/session';

/**
 * One registered EHR (tenant `ehr`) and an open launch on it, for tests that
 * drive the launch guard with no EHR call: the session's token never expires.
 */
export function oneEhrLaunch(launchId: string): {
  registrations: ReturnType<typeof parseRegistrations>;
  session: LaunchSession;
} {
  const issuer = 'https://ehr.example/fhir';
  const registrations = parseRegistrations(
    [{ id: 'ehr', label: 'EHR', issuer, vendor: 'generic', client: { type: 'public', clientId: 'c' } }],
    'test',
  );
  const now = Date.now();
  const session: LaunchSession = {
    launchId,
    sid: 'sid',
    regId: 'ehr',
    iss: issuer,
    vendor: 'generic',
    patient: 'p-1',
    needPatientBanner: true,
    framed: false,
    scope: 'launch',
    createdAt: now,
    lastSeenAt: now,
  };
  return { registrations, session };
}
