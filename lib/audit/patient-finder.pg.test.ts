import { describe, it } from 'vitest';
import { pgHarness, pgTestUrl } from './testing/harness';
import { patientFinderSuite } from './testing/patient-finder-suite';

const url = pgTestUrl();
if (url) {
  patientFinderSuite('patient finder on PostgreSQL', () => pgHarness(url));
} else {
  describe('patient finder on PostgreSQL', () => {
    it.skip('skipped: set AUDIT_TEST_PG_URL to a superuser URL', () => undefined);
  });
}
