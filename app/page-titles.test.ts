import { createTranslator } from 'next-intl';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Locale } from '@/lib/i18n/locale';
import { MESSAGES } from '@/lib/i18n/messages';
import type { LaunchSession, SessionState } from '@/lib/smart/session';

/**
 * Each page is titled by its kind ("Chart – SMART Chart", with the root layout's template), never by whose chart it
 * is; a patient's page in the patient's language. The request (headers, cookies, the launch's session and language)
 * is this test's.
 */
const request = vi.hoisted((): { headers: Headers; state: SessionState; locale: Locale } => ({
  headers: new Headers(),
  state: { status: 'none' },
  locale: 'en',
}));

vi.mock('next/headers', () => ({
  headers: async () => request.headers,
  cookies: async () => ({ getAll: () => [], get: () => undefined }),
}));
vi.mock('next-intl/server', () => ({
  getLocale: async () => request.locale,
  getTranslations: async (namespace: string) =>
    createTranslator({
      locale: request.locale,
      messages: MESSAGES[request.locale],
      namespace: namespace as never,
    }),
}));
vi.mock('@/lib/env', () => ({ env: () => ({}) }));
vi.mock('@/lib/state', () => ({ getLaunchStore: async () => ({}) }));
vi.mock('@/lib/smart/session', async (actual) => ({
  ...(await actual<object>()),
  readSession: async () => request.state,
}));
vi.mock('@/lib/smart/registrations', () => ({
  registrations: () => [{ id: 'sandbox-generic', label: 'Sandbox EHR', standalone: ['patient', 'provider'] }],
  findById: (id: string, list: readonly { id: string }[]) => list.find((r) => r.id === id),
}));
// The chart page's server-only neighbours, which its title does not use.
vi.mock('@/lib/api/deps', () => ({ routeDeps: vi.fn() }));
vi.mock('@/lib/api/launch-guard', () => ({
  recordChartPageWithoutLaunch: vi.fn(),
  refuseCrossSite: vi.fn(),
}));
vi.mock('@/lib/api/prefetch', () => ({ prefetchChart: vi.fn() }));
vi.mock('@/lib/smart/style', () => ({ fetchStyle: vi.fn() }));

const LAUNCH = 'a'.repeat(32);

function session(fields: Partial<LaunchSession>): LaunchSession {
  return {
    launchId: LAUNCH,
    regId: 'sandbox-generic',
    mode: 'ehr',
    patient: 'p1',
    framed: false,
    ...fields,
  } as LaunchSession;
}

beforeEach(() => {
  request.headers = new Headers({ 'sec-fetch-site': 'same-origin' });
  request.state = { status: 'none' };
  request.locale = 'en';
});

describe('the root layout', () => {
  it('puts every page’s title before the app’s name, and names the app alone where a page gives none', async () => {
    const { metadata } = await import('./layout');
    expect(metadata.title).toEqual({ default: 'SMART Chart', template: '%s – SMART Chart' });
  });
});

describe('the chart page’s title', () => {
  const title = async () => {
    const { generateMetadata } = await import('./chart/[launchId]/page');
    return (await generateMetadata({ params: Promise.resolve({ launchId: LAUNCH }) })).title;
  };

  it('is “Chart” for a clinician, “Find a patient” before a patient is chosen, never a name', async () => {
    request.state = { status: 'active', session: session({ user: 'Practitioner/dr-1' }) };
    expect(await title()).toBe('Chart');
    request.state = { status: 'active', session: session({ user: 'Practitioner/dr-1', patient: undefined }) };
    expect(await title()).toBe('Find a patient');
  });

  it('is the patient’s record in their language for a patient', async () => {
    request.state = { status: 'active', session: session({ mode: 'patient', user: 'Patient/p1' }) };
    expect(await title()).toBe('Your health record');
    request.locale = 'es';
    expect(await title()).toBe('Su historial de salud');
  });

  it('says the session ended, in a patient’s language for a patient', async () => {
    expect(await title()).toBe('Session ended');
    request.locale = 'es';
    request.state = { status: 'idle-timeout', session: session({ mode: 'patient', user: 'Patient/p1' }) };
    expect(await title()).toBe('Su sesión terminó');
  });

  it('reads no session for another site’s request', async () => {
    request.headers = new Headers({ 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'cors' });
    request.state = { status: 'active', session: session({ mode: 'patient', user: 'Patient/p1' }) };
    expect(await title()).toBe('Not opened');
  });
});

describe('the signed-out page’s title', () => {
  const title = async (query: Record<string, string>) => {
    const { generateMetadata } = await import('./signed-out/page');
    return (await generateMetadata({ searchParams: Promise.resolve(query) })).title;
  };

  it('is “Signed out”, in a patient’s language on a patient’s page', async () => {
    expect(await title({})).toBe('Signed out');
    expect(await title({ ehr: 'sandbox-generic', mode: 'provider' })).toBe('Signed out');
    request.locale = 'es';
    expect(await title({ ehr: 'sandbox-generic', mode: 'patient' })).toBe(MESSAGES.es.signedOut.title);
  });
});

describe('the merged record’s title', () => {
  it('is in the patient’s language', async () => {
    request.locale = 'es';
    const { generateMetadata } = await import('./record/page');
    expect((await generateMetadata()).title).toBe(MESSAGES.es.merged.title);
  });
});
