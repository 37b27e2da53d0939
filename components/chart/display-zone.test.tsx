import { render, screen } from '@testing-library/react';
import { renderToString } from 'react-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import { runtimeZone } from '@/lib/chart/display-zone';
import { DisplayZone, useDisplayZone } from './display-zone';
import { formatDateTime } from './format';

function Reading() {
  return <p>{formatDateTime('2024-10-24T03:12:00Z', useDisplayZone())}</p>;
}

afterEach(() => {
  document.cookie = 'sc_tz=; Path=/; Max-Age=0';
});

describe('DisplayZone', () => {
  it('renders first in the zone the server rendered in, so hydration finds the same text', () => {
    const html = renderToString(
      <DisplayZone zone="Pacific/Honolulu">
        <Reading />
      </DisplayZone>,
    );
    expect(html).toContain('Oct 23, 2024, 5:12 PM');
  });

  it("moves to the browser's own zone once mounted, and remembers it for the next pages", async () => {
    const other = runtimeZone() === 'Pacific/Honolulu' ? 'UTC' : 'Pacific/Honolulu';
    render(
      <DisplayZone zone={other}>
        <Reading />
      </DisplayZone>,
    );
    const expected = formatDateTime('2024-10-24T03:12:00Z', runtimeZone());
    expect(await screen.findByText(expected)).toBeTruthy();
    expect(document.cookie).toContain(`sc_tz=${encodeURIComponent(runtimeZone())}`);
  });

  it('stays, and sets nothing, when the server already rendered in the browser’s zone', () => {
    render(
      <DisplayZone zone={runtimeZone()}>
        <Reading />
      </DisplayZone>,
    );
    expect(screen.getByText(formatDateTime('2024-10-24T03:12:00Z', runtimeZone()))).toBeTruthy();
    expect(document.cookie).not.toContain('sc_tz=');
  });
});
