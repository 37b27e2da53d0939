import { describe, it } from 'vitest';
import { pgHarness, pgTestUrl } from './testing/harness';
import { witnessSuite } from './testing/witness-suite';

const url = pgTestUrl();
if (url) witnessSuite('witnesses on PostgreSQL', () => pgHarness(url));
else
  describe('witnesses on PostgreSQL', () => {
    it.skip('skipped: set AUDIT_TEST_PG_URL to a superuser URL', () => undefined);
  });
