import { describe, expect, it } from 'vitest';
import { parseFaults } from './faults';

describe('parseFaults', () => {
  it('accepts a single spec or a list', () => {
    expect(parseFaults('{"kind":"status-500","count":2}')).toEqual({
      ok: true,
      faults: [{ kind: 'status-500', count: 2 }],
    });
    const many = parseFaults(
      '[{"kind":"latency","ms":300,"resourceType":"Observation"},{"kind":"revoke-after","requests":3}]',
    );
    expect(many.ok && many.faults).toHaveLength(2);
  });

  it('treats absence as no faults', () => {
    expect(parseFaults(null)).toEqual({ ok: true, faults: [] });
    expect(parseFaults('  ')).toEqual({ ok: true, faults: [] });
  });

  it('rejects malformed JSON, unknown kinds and extra keys', () => {
    expect(parseFaults('{kind:1}').ok).toBe(false);
    expect(parseFaults('{"kind":"explode"}').ok).toBe(false);
    expect(parseFaults('{"kind":"status-500","count":1,"x":1}').ok).toBe(false);
    expect(parseFaults('{"kind":"latency","ms":-5}').ok).toBe(false);
  });
});
