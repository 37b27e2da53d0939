import { describe, expect, it } from 'vitest';
import { localPath } from './local-path';

const APP = 'http://localhost:3000';

describe('localPath', () => {
  it('keeps a path and query on this app', () => {
    expect(localPath('/signed-out?ehr=sandbox-generic&mode=patient', APP)).toBe(
      '/signed-out?ehr=sandbox-generic&mode=patient',
    );
    expect(localPath('/chart/abc', APP)).toBe('/chart/abc');
  });

  it('never leads to another site or carries a control character', () => {
    for (const bad of [
      'https://evil.example/',
      '//evil.example/x',
      '/\\evil.example',
      // Dot segments that fold into `//host`.
      '/..//evil.example',
      '/.%2e//evil.example',
      '/a/../..//evil.example/x',
      '/./\\evil.example',
      'javascript:alert(1)',
      'chart/abc',
      '/chart\r\nset-cookie: x=1',
      '',
      undefined,
      42,
    ])
      expect(localPath(bad, APP)).toBe('/');
  });
});
