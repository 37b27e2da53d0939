import { describe, it } from 'vitest';
import { pgHarness, pgTestUrl } from './testing/harness';
import { storeSuite } from './testing/store-suite';

const url = pgTestUrl();
if (url) {
  storeSuite('audit store on PostgreSQL', () => pgHarness(url));
} else {
  describe('audit store on PostgreSQL', () => {
    it.skip('skipped: set AUDIT_TEST_PG_URL to a superuser URL, e.g. postgresql://chart_test:chart_test@127.0.0.1:5432/postgres', () =>
      undefined);
  });
}
