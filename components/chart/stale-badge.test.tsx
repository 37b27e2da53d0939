import { render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { StaleBadge } from './stale-badge';

const NOW = new Date('2026-11-30T12:00:00Z');

describe('StaleBadge', () => {
  it('marks a reading over a year old with a hidden SVG clock, not a font glyph', () => {
    const { container } = render(<StaleBadge time="2025-06-01T09:00:00Z" now={NOW} />);
    const badge = container.querySelector('.badge-stale');
    expect(badge?.textContent).toBe('Stale: over a year old');
    expect(badge?.textContent).not.toContain('⏱');
    const icon = badge?.querySelector('svg');
    expect(icon?.getAttribute('aria-hidden')).toBe('true');
    expect(icon?.getAttribute('focusable')).toBe('false');
  });

  it('says how many whole years old an older reading is', () => {
    // Synthea records end years ago: "over a year" would understate a reading from 2019.
    const text = (time: string) => render(<StaleBadge time={time} now={NOW} />).container.textContent;
    expect(text('2024-12-01T09:00:00Z')).toBe('Stale: over a year old');
    expect(text('2024-11-29T09:00:00Z')).toBe('Stale: over 2 years old');
    expect(text('2019-03-29T09:00:00Z')).toBe('Stale: over 7 years old');
  });

  it('shows nothing for a reading from this year', () => {
    const { container } = render(<StaleBadge time="2026-03-01T09:00:00Z" now={NOW} />);
    expect(container.innerHTML).toBe('');
  });
});
