import { describe, expect, it } from 'vitest';
import { chooseLocaleRoute } from './choose-locale';

const APP = 'http://localhost:3000';

function post(body: Record<string, string>, headers: Record<string, string> = { origin: APP }): Request {
  return new Request(`${APP}/api/locale`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(body).toString(),
  });
}

describe('POST /api/locale', () => {
  it('sets the language cookie and sends the browser back with a GET', async () => {
    const res = await chooseLocaleRoute(post({ locale: 'es', back: '/chart/abc?range=all' }), APP);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${APP}/chart/abc?range=all`);
    expect(res.headers.get('set-cookie')).toMatch(/^locale=es; Path=\/; Max-Age=\d+; SameSite=Lax$/);
  });

  it('marks the cookie Secure over HTTPS', async () => {
    const app = 'https://chart.example.org';
    const res = await chooseLocaleRoute(post({ locale: 'en', back: '/' }, { origin: app }), app);
    expect(res.headers.get('set-cookie')).toMatch(/; Secure$/);
  });

  it('accepts an Origin-less form post only when the browser says it is same-origin', async () => {
    const ok = await chooseLocaleRoute(
      post({ locale: 'es', back: '/' }, { 'sec-fetch-site': 'same-origin' }),
      APP,
    );
    expect(ok.status).toBe(303);
    const bare = await chooseLocaleRoute(post({ locale: 'es', back: '/' }, {}), APP);
    expect(bare.status).toBe(403);
  });

  it('refuses another site, an unknown language and a body that is not a form, and sets nothing', async () => {
    const answers = await Promise.all([
      chooseLocaleRoute(post({ locale: 'es', back: '/' }, { origin: 'https://evil.example' }), APP),
      chooseLocaleRoute(post({ locale: 'fr', back: '/' }), APP),
      chooseLocaleRoute(post({ back: '/' }), APP),
      chooseLocaleRoute(
        new Request(`${APP}/api/locale`, {
          method: 'POST',
          headers: { origin: APP, 'content-type': 'application/json' },
          body: '{"locale":"es"}',
        }),
        APP,
      ),
    ]);
    expect(answers.map((r) => r.status)).toEqual([403, 400, 400, 400]);
    expect(answers.every((r) => r.headers.get('set-cookie') === null)).toBe(true);
  });
});
