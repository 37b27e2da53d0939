import { describe, expect, it } from 'vitest';
import { fetchStyle, styleVariables } from './style';

describe('smart_style_url', () => {
  it('keeps plain colours and lengths and drops anything that could inject CSS', () => {
    expect(
      styleVariables({
        color_highlight: '#1a73e8',
        color_text: 'rgb(10, 20, 30)',
        color_error: 'red;} body{display:none',
        dim_border_radius: '6px',
        font_family_body: 'url(javascript:alert(1))',
        unknown: '#fff',
      }),
    ).toEqual({ '--ehr-primary': '#1a73e8', '--ehr-text': 'rgb(10, 20, 30)', '--ehr-radius': '6px' });
  });

  it('never fetches a style URL outside the registered EHR origin', async () => {
    let called = false;
    const fake: typeof fetch = async () => {
      called = true;
      return Response.json({ color_highlight: '#000000' });
    };
    expect(await fetchStyle('https://evil.example/style.json', 'https://ehr.example/fhir', fake)).toEqual({});
    expect(called).toBe(false);
    expect(await fetchStyle('https://ehr.example/style.json', 'https://ehr.example/fhir', fake)).toEqual({
      '--ehr-primary': '#000000',
    });
    expect(called).toBe(true);
  });

  it('fetches a style once per ten minutes, not on every page render', async () => {
    let calls = 0;
    const fake: typeof fetch = async () => {
      calls++;
      return Response.json({ color_highlight: '#123456' });
    };
    const url = 'https://ehr.example/cached-style.json';
    const t = 1_000_000;
    for (const at of [t, t + 1_000, t + 599_000]) await fetchStyle(url, 'https://ehr.example/fhir', fake, at);
    expect(calls).toBe(1);
    expect(await fetchStyle(url, 'https://ehr.example/fhir', fake, t + 600_000)).toEqual({
      '--ehr-primary': '#123456',
    });
    expect(calls).toBe(2);
  });
});
