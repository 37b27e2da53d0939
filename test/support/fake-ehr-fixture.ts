import { afterAll, beforeAll, beforeEach } from 'vitest';
import { clearDiscoveryCache } from '../../lib/smart/discovery';
import type { LaunchStore } from '../../lib/state/launch-store';
import { memoryLaunchStore } from '../../lib/state/testing';
import { DEFAULT_SCOPE, startFakeEhr, type FakeEhr } from '../fake-ehr';

/**
 * A fake EHR over HTTP and an in-memory launch store for one test file: started before its tests, closed after,
 * and before each test the EHR answers normally again and discovery is read afresh. Read the fields inside hooks
 * and tests (they are set once the file's tests start).
 */
export function fakeEhrFixture(clientId = 'test-client'): {
  readonly ehr: FakeEhr;
  readonly launches: LaunchStore;
} {
  const fixture = {} as { ehr: FakeEhr; launches: LaunchStore };
  beforeAll(async () => {
    fixture.ehr = await startFakeEhr(clientId);
    fixture.launches = await memoryLaunchStore();
  });
  afterAll(async () => {
    await fixture.ehr.close();
    await fixture.launches.close();
  });
  beforeEach(() => {
    clearDiscoveryCache();
    fixture.ehr.tokenBehaviour = 'ok';
    fixture.ehr.configIssuer = true;
    fixture.ehr.sendsIss = false;
    fixture.ehr.grantedScope = DEFAULT_SCOPE;
    fixture.ehr.fhirFaults.clear();
  });
  return fixture;
}
