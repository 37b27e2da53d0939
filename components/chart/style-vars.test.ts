import { describe, expect, it } from 'vitest';
import { safeStyleVars } from './style-vars';

describe('safeStyleVars', () => {
  it('keeps the EHR colours and fonts', () => {
    expect(
      safeStyleVars({ '--ehr-primary': '#005EB8', '--ehr-font-family': "'Segoe UI', sans-serif" }),
    ).toEqual({
      '--ehr-primary': '#005EB8',
      '--ehr-font-family': "'Segoe UI', sans-serif",
    });
  });

  it('drops values that can fetch and names that are not ours', () => {
    const out = safeStyleVars({
      '--ehr-background': 'url(https://tracker.example/p.png)',
      '--ehr-border': 'image-set("x.png" 1x)',
      color: 'red',
      '--other': 'blue',
      '--ehr-x': 'red; background: blue',
    });
    expect(out).toEqual({});
  });

  it('accepts no variables', () => {
    expect(safeStyleVars(undefined)).toEqual({});
  });
});
