import { act, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { payload, vitals } from './test-data';
import { ok, renderWithClient, stubChartApi } from './test-utils';
import { VitalsPanel } from './vitals-panel';

/**
 * The folded tables rendered once the browser is idle, so a printout has them before printing starts (a file of its
 * own: the page asks to be told of idleness once, and the other panel tests run where the browser cannot tell).
 */
describe('folded tables once the browser is idle', () => {
  let idle: (() => void)[] = [];
  beforeEach(() => {
    idle = [];
    vi.stubGlobal('requestIdleCallback', (cb: () => void) => idle.push(cb));
  });
  afterEach(() => vi.unstubAllGlobals());

  it('renders a folded table, still hidden, when the browser is next idle, and in every tile drawn after', async () => {
    stubChartApi({ vitals: [ok(payload(vitals)), ok(payload(vitals))] });
    const { unmount } = renderWithClient(<VitalsPanel launchId="L1" range="1y" title="Vitals" />);
    const weight = await screen.findByRole('article', { name: 'Body weight' });
    const folded = () => weight.querySelector('[data-print-expand]');
    expect(folded()?.querySelector('table')).toBeNull();
    // Asked once for the whole page, however many tiles are waiting.
    expect(idle).toHaveLength(1);
    await act(async () => idle[0]!());
    expect(folded()?.querySelectorAll('tbody tr')).toHaveLength(2);
    expect(folded()?.hasAttribute('hidden')).toBe(true);
    // Printing and its end change nothing now: the table stays for the next printout.
    act(() => {
      window.dispatchEvent(new Event('beforeprint'));
      window.dispatchEvent(new Event('afterprint'));
    });
    expect(folded()?.querySelectorAll('tbody tr')).toHaveLength(2);
    unmount();

    // A tile drawn later (another launch's chart in this page) renders its table at once, without asking again.
    renderWithClient(<VitalsPanel launchId="L2" range="1y" title="Vitals" />);
    const again = await screen.findByRole('article', { name: 'Body weight' });
    await vi.waitFor(() => expect(again.querySelectorAll('[data-print-expand] tbody tr')).toHaveLength(2));
    expect(idle).toHaveLength(1);
  });
});
