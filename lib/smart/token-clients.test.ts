import { decodeJwt, decodeProtectedHeader } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { MemoryAuditLog } from '../../test/memory-audit';
import { fakeEhrDeps, type FakeEhr } from '../../test/fake-ehr';
import type { LaunchStore } from '../state/launch-store';
import { fakeEhrFixture } from '../../test/support/fake-ehr-fixture';
import { beginLaunch, completeLaunch, type FlowDeps } from './launch-flow';
import { SIGN_IN_ERROR_PATH, signInErrorPage } from './sign-in-error';

/** The launch's token request as each kind of registered client makes it, through openid-client. */

const APP = 'http://localhost:3998';
let ehr: FakeEhr;
let launches: LaunchStore;

const fixture = fakeEhrFixture();
beforeAll(() => {
  ({ ehr, launches } = fixture);
});

function flowDeps(registration: Record<string, unknown>): FlowDeps {
  return fakeEhrDeps(ehr, { appUrl: APP, audit: new MemoryAuditLog(), launches, registration });
}

const cookiesOf = (res: Response) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .filter((c) => !c.endsWith('='))
    .join('; ');

/** Launches and answers the callback; a failure is followed to its error page. */
async function launch(deps: FlowDeps): Promise<Response> {
  const start = await beginLaunch(
    new Request(`${APP}/launch?iss=${encodeURIComponent(ehr.fhirBase)}&launch=L-1`),
    deps,
  );
  const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
  const res = await completeLaunch(
    new Request(`${APP}/callback?state=${state}&code=C-9`, { headers: { cookie: cookiesOf(start) } }),
    deps,
  );
  if (res.headers.get('location') !== SIGN_IN_ERROR_PATH) return res;
  return signInErrorPage(
    new Request(`${APP}${SIGN_IN_ERROR_PATH}`, { headers: { cookie: cookiesOf(res) } }),
    deps.env,
  );
}

describe('token request client authentication', () => {
  it('client_secret_basic: the secret in the Authorization header, not in the body', async () => {
    const deps = flowDeps({
      client: { type: 'client_secret_basic', clientId: 'test-client', clientSecret: 's3cret:+/' },
    });
    expect((await launch(deps)).status).toBe(303);
    const header = ehr.tokenAuthorizations.at(-1)!;
    // The id as registered (EHRs that do not decode Basic credentials still match it), the secret encoded.
    expect(Buffer.from(header.replace(/^Basic /, ''), 'base64').toString()).toBe(
      'test-client:s3cret%3A%2B%2F',
    );
    expect(ehr.tokenRequests.at(-1)!.has('client_secret')).toBe(false);
  });

  it('client_secret_post: the secret in the body, no Authorization header', async () => {
    const deps = flowDeps({
      client: { type: 'client_secret_post', clientId: 'test-client', clientSecret: 's3cret' },
    });
    expect((await launch(deps)).status).toBe(303);
    expect(ehr.tokenAuthorizations.at(-1)).toBeUndefined();
    const body = ehr.tokenRequests.at(-1)!;
    expect(body.get('client_id')).toBe('test-client');
    expect(body.get('client_secret')).toBe('s3cret');
  });

  it('private_key_jwt: an ES384 assertion for the token endpoint, signed with the app key', async () => {
    const deps = flowDeps({ client: { type: 'private_key_jwt', clientId: 'test-client' } });
    expect((await launch(deps)).status).toBe(303);
    const body = ehr.tokenRequests.at(-1)!;
    expect(body.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    const assertion = body.get('client_assertion')!;
    expect(decodeProtectedHeader(assertion)).toMatchObject({ alg: 'ES384', typ: 'JWT' });
    expect(decodeJwt(assertion)).toMatchObject({
      iss: 'test-client',
      sub: 'test-client',
      aud: `${ehr.url}/token`,
    });
  });
});

describe('id_token issuer of an EHR whose SMART configuration names none', () => {
  it("accepts the registration's idTokenIssuer (Oracle Health) and refuses any other", async () => {
    ehr.configIssuer = false;
    const deps = flowDeps({ idTokenIssuer: ehr.url });
    // The fake EHR signs its id_tokens as its own origin, not as the FHIR base.
    expect((await launch(deps)).status).toBe(303);
    ehr.tokenBehaviour = 'fhir-base-issuer';
    const other = await launch(deps);
    expect(other.status).toBe(502);
    expect(await other.text()).toContain('could not be verified');
  });
});

describe('plain-http EHRs', () => {
  it('are refused with a clear error in a production deployment with registered EHRs', async () => {
    const base = flowDeps({});
    const deps: FlowDeps = {
      ...base,
      env: { ...base.env, NODE_ENV: 'production', EHR_REGISTRATIONS: '/etc/chart/ehrs.json' },
    };
    const res = await beginLaunch(
      new Request(`${APP}/launch?iss=${encodeURIComponent(ehr.fhirBase)}&launch=L-1`),
      deps,
    );
    expect(res.status).toBe(502);
    expect(res.headers.get('location')).toBeNull();
    expect(await res.text()).toContain('needs https');
  });
});
