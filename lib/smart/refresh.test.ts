import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeEhr, type FakeEhr } from '../../test/fake-ehr';
import { buildEnv } from '../env';
import { discover } from './discovery';
import { ensureFreshToken, needsRefresh } from './refresh';
import { parseRegistrations } from './registrations';
import type { LaunchSession } from './session';

let ehr: FakeEhr;
beforeAll(async () => {
  ehr = await startFakeEhr('test-client');
});
afterAll(async () => {
  await ehr.close();
});

function session(over: Partial<LaunchSession>): LaunchSession {
  const now = Date.now();
  return {
    launchId: `L${Math.random().toString(36).slice(2)}xxxxxxxxxxxxxxxx`,
    sid: 's',
    regId: 'fake',
    iss: ehr.fhirBase,
    vendor: 'cerner',
    patient: 'p-1',
    needPatientBanner: true,
    framed: false,
    accessToken: 'old-access',
    refreshToken: 'old-refresh',
    scope: 'launch',
    createdAt: now,
    lastSeenAt: now,
    ...over,
  };
}

describe('token refresh', () => {
  const env = buildEnv({ DATA_DIR: mkdtempSync(path.join(tmpdir(), 'refresh-')) });
  const reg = () =>
    parseRegistrations(
      [
        {
          id: 'fake',
          label: 'Fake',
          issuer: ehr.fhirBase,
          client: { type: 'public', clientId: 'test-client' },
        },
      ],
      't',
    )[0]!;

  it('refreshes a minute before expiry, or at a quarter of a short token lifetime', () => {
    const now = 1_000_000;
    expect(needsRefresh(session({ expiresAt: now + 30_000, tokenObtainedAt: now - 540_000 }), now)).toBe(
      true,
    );
    expect(needsRefresh(session({ expiresAt: now + 120_000, tokenObtainedAt: now - 450_000 }), now)).toBe(
      false,
    );
    // A 30-second token: refresh only in its last 7.5 seconds, not on every request.
    expect(needsRefresh(session({ expiresAt: now + 20_000, tokenObtainedAt: now - 10_000 }), now)).toBe(
      false,
    );
    expect(needsRefresh(session({ expiresAt: now + 5_000, tokenObtainedAt: now - 25_000 }), now)).toBe(true);
    expect(needsRefresh(session({ expiresAt: undefined }), now)).toBe(false);
  });

  it('makes one refresh for concurrent requests and keeps the refresh token when none is returned', async () => {
    const now = Date.now();
    const s = session({ expiresAt: now + 1_000, tokenObtainedAt: now - 569_000 });
    const before = ehr.tokenRequests.filter((r) => r.get('grant_type') === 'refresh_token').length;
    const deps = { env, discover: (r: ReturnType<typeof reg>) => discover(r, { fresh: true }), now };
    const results = await Promise.all(Array.from({ length: 8 }, () => ensureFreshToken(s, reg(), deps)));
    const refreshes = ehr.tokenRequests.filter((r) => r.get('grant_type') === 'refresh_token');
    expect(refreshes.length - before).toBe(1);
    expect(refreshes.at(-1)!.get('refresh_token')).toBe('old-refresh');
    for (const r of results) {
      expect(r.accessToken).toBe('fake-access-token-0001');
      expect(r.refreshToken).toBe('old-refresh');
      expect(r.expiresAt).toBe(now + 3_600_000);
    }
  });

  it('ends the session when the EHR refuses the refresh', async () => {
    ehr.tokenBehaviour = 'error-400';
    const now = Date.now();
    const s = session({ expiresAt: now - 1, tokenObtainedAt: now - 570_000 });
    await expect(
      ensureFreshToken(s, reg(), { env, discover: (r) => discover(r), now }),
    ).rejects.toMatchObject({ code: 'session-expired' });
    ehr.tokenBehaviour = 'ok';
  });

  it('ends the session when the token expired and there is no refresh token', async () => {
    const now = Date.now();
    const s = session({ expiresAt: now - 1, refreshToken: undefined });
    await expect(
      ensureFreshToken(s, reg(), { env, discover: (r) => discover(r), now }),
    ).rejects.toMatchObject({ code: 'session-expired' });
  });
});
