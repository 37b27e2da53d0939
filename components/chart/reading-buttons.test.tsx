import { act, fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type DrawnReading, ReadingButtons, viewportShift } from './reading-buttons';

const reading = (i: number, x = 10 + i * 10): DrawnReading => ({
  id: `r${i}`,
  x,
  y: 50,
  value: `${70 + i} /min`,
  date: `Jan ${i + 1}, 2024`,
});
const all = [0, 1, 2, 3, 4].map((i) => reading(i));
const lastYear = all.slice(3);

function chart(readings: readonly DrawnReading[]) {
  return <ReadingButtons title="Heart rate" readings={readings} width={100} height={100} />;
}

const tabStops = () => screen.getAllByRole('button').map((b) => b.tabIndex);

afterEach(() => {
  vi.restoreAllMocks();
});

describe('ReadingButtons', () => {
  it('makes the latest reading the one tab stop again whenever the readings change', async () => {
    const user = userEvent.setup();
    const { rerender } = render(chart(all));
    expect(tabStops()).toEqual([-1, -1, -1, -1, 0]);
    // "All" to "Last year": the chart keeps no tab stop on a reading it no longer draws.
    rerender(chart(lastYear));
    expect(tabStops()).toEqual([-1, 0]);
    // A reading moved to, then back to "All": the tab stop is the latest again, not the older reading.
    await user.tab();
    await user.keyboard('{ArrowLeft}');
    expect(tabStops()).toEqual([0, -1]);
    rerender(chart(all));
    expect(tabStops()).toEqual([-1, -1, -1, -1, 0]);
  });

  it('keeps the reading moved to while the same readings are drawn again', async () => {
    const user = userEvent.setup();
    const { rerender } = render(chart(all));
    await user.tab();
    await user.keyboard('{Home}');
    rerender(chart(all.map((r) => ({ ...r }))));
    expect(tabStops()).toEqual([0, -1, -1, -1, -1]);
  });

  it('hides the tooltip on Escape and leaves focus on the reading; a key that moves shows it again', async () => {
    const user = userEvent.setup();
    render(chart(all));
    await user.tab();
    const latest = screen.getByRole('button', { name: '74 /min, Jan 5, 2024' });
    expect(screen.getByRole('tooltip').textContent).toBe('74 /min Jan 5, 2024');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('tooltip')).toBeNull();
    expect(document.activeElement).toBe(latest);
    expect(latest.hasAttribute('aria-describedby')).toBe(false);
    await user.keyboard('{End}');
    expect(screen.getByRole('tooltip').textContent).toBe('74 /min Jan 5, 2024');
  });

  it('hides a tooltip shown by hovering on Escape, wherever focus is', async () => {
    const user = userEvent.setup();
    render(chart(all));
    await user.hover(screen.getByRole('button', { name: '70 /min, Jan 1, 2024' }));
    expect(screen.getByRole('tooltip')).toBeTruthy();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('tooltip')).toBeNull();
  });

  it('stays up while the pointer moves from the reading onto the tooltip, and goes when it leaves both', async () => {
    const user = userEvent.setup();
    render(
      <>
        {chart(all)}
        <p>elsewhere</p>
      </>,
    );
    const reading = screen.getByRole('button', { name: '72 /min, Jan 3, 2024' });
    await user.hover(reading);
    // user-event names no element a pointer moves to (relatedTarget); a browser does.
    const tooltip = screen.getByRole('tooltip');
    fireEvent.mouseLeave(reading, { relatedTarget: tooltip.firstChild });
    fireEvent.mouseEnter(tooltip, { relatedTarget: reading });
    expect(screen.getByRole('tooltip').textContent).toBe('72 /min Jan 3, 2024');
    fireEvent.mouseLeave(tooltip, { relatedTarget: reading });
    expect(screen.getByRole('tooltip').textContent).toBe('72 /min Jan 3, 2024');
    fireEvent.mouseLeave(reading, { relatedTarget: screen.getByText('elsewhere') });
    expect(screen.queryByRole('tooltip')).toBeNull();
    fireEvent.mouseEnter(reading);
    fireEvent.mouseLeave(screen.getByRole('tooltip'), { relatedTarget: screen.getByText('elsewhere') });
    expect(screen.queryByRole('tooltip')).toBeNull();
  });

  it('stays up while its reading has focus, wherever the pointer goes', async () => {
    const user = userEvent.setup();
    render(
      <>
        {chart(all)}
        <p>elsewhere</p>
      </>,
    );
    const first = screen.getByRole('button', { name: '70 /min, Jan 1, 2024' });
    await user.click(first);
    await user.hover(screen.getByText('elsewhere'));
    expect(document.activeElement).toBe(first);
    expect(screen.getByRole('tooltip').textContent).toBe('70 /min Jan 1, 2024');
  });

  describe('near the edges of a 320 px screen', () => {
    /** A 150 px tooltip whose left edge would be at `left` before it is moved. */
    function layout(left: number) {
      Object.defineProperty(document.documentElement, 'clientWidth', { value: 320, configurable: true });
      vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockImplementation(function (
        this: HTMLElement,
      ) {
        if (this.getAttribute('role') !== 'tooltip') return new DOMRect();
        const moved = Number.parseFloat(this.style.marginLeft || '0');
        return new DOMRect(left + moved, 0, 150, 20);
      });
    }
    afterEach(() => {
      Reflect.deleteProperty(document.documentElement, 'clientWidth');
    });

    it('moves the tooltip of a reading at the left edge right, onto the screen', async () => {
      layout(-40);
      render(chart(all));
      await userEvent.setup().hover(screen.getByRole('button', { name: '70 /min, Jan 1, 2024' }));
      expect(screen.getByRole('tooltip').style.marginLeft).toBe('48px');
    });

    it('moves the tooltip of a reading at the right edge left, and one in the middle not at all', async () => {
      layout(250);
      const { unmount } = render(chart(all));
      await userEvent.setup().hover(screen.getByRole('button', { name: '74 /min, Jan 5, 2024' }));
      expect(screen.getByRole('tooltip').style.marginLeft).toBe('-88px');
      unmount();
      vi.restoreAllMocks();
      layout(80);
      render(chart(all));
      act(() => {
        fireEvent.mouseEnter(screen.getByRole('button', { name: '72 /min, Jan 3, 2024' }));
      });
      expect(screen.getByRole('tooltip').style.marginLeft).toBe('');
    });
  });
});

describe('viewportShift', () => {
  it('moves a box inside the viewport, 8 px from its sides, and a box wider than it to its left side', () => {
    expect(viewportShift(-40, 110, 320)).toBe(48);
    expect(viewportShift(250, 400, 320)).toBe(-88);
    expect(viewportShift(80, 230, 320)).toBe(0);
    expect(viewportShift(100, 500, 320)).toBe(-92);
    expect(viewportShift(-10, 400, 320)).toBe(18);
  });
});
