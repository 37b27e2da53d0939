import { describe, expect, it, vi } from 'vitest';
import { fetchLogo, logoSrc, MAX_LOGO_BYTES } from './logo';

const answer = (body: BodyInit | null, type: string, status = 200) =>
  vi.fn(async () => new Response(body, { status, headers: { 'content-type': type } }));

describe('fetchLogo', () => {
  it('takes an image from an https URL, without following redirects', async () => {
    const f = answer(new Uint8Array([137, 80, 78, 71]), 'image/png');
    expect(await fetchLogo('https://logo.example.org/a.png', f)).toEqual({
      type: 'image/png',
      bytes: new Uint8Array([137, 80, 78, 71]),
    });
    expect(f).toHaveBeenCalledWith(
      'https://logo.example.org/a.png',
      expect.objectContaining({ redirect: 'error' }),
    );
  });

  it('refuses other schemes, non-images, errors and images over the size limit', async () => {
    const png = answer('x', 'image/png');
    expect(await fetchLogo('http://logo.example.org/a.png', png)).toBeUndefined();
    expect(await fetchLogo('file:///etc/passwd', png)).toBeUndefined();
    expect(png).not.toHaveBeenCalled();
    expect(await fetchLogo('https://x.example.org/', answer('<html>', 'text/html'))).toBeUndefined();
    expect(await fetchLogo('https://x.example.org/', answer('no', 'image/png', 404))).toBeUndefined();
    const big = new Uint8Array(MAX_LOGO_BYTES + 1);
    expect(await fetchLogo('https://x.example.org/', answer(big, 'image/png'))).toBeUndefined();
    const failing = vi.fn(async () => Promise.reject(new TypeError('fetch failed')));
    expect(await fetchLogo('https://x.example.org/', failing)).toBeUndefined();
  });
});

describe('logoSrc', () => {
  it('shows an inlined image as it is and an https one through the app', () => {
    expect(logoSrc('data:image/png;base64,AAAA', 3)).toBe('data:image/png;base64,AAAA');
    expect(logoSrc('https://logo.example.org/a.svg', 3)).toBe('/brands/logo/3');
    expect(logoSrc(undefined, 3)).toBeUndefined();
  });
});
