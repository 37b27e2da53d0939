import { useQuery } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { ChartPayload } from '@/lib/chart/types';
import { ApiError } from './api/fetch-json';
import { renderWithClient } from './test-utils';
import { WidgetQueryStates } from './widget-query-states';
import { errorMessage, WidgetError } from './widget-states';

describe('errorMessage', () => {
  it('tells an EHR that answered with an error from one that did not answer', () => {
    // The codes and statuses of lib/errors.ts, as the chart routes send them.
    expect(errorMessage(new ApiError(502, 'ehr-error', 'x'), 'Lab results')).toBe(
      'The EHR answered with an error, so lab results could not be loaded.',
    );
    expect(errorMessage(new ApiError(504, 'ehr-unavailable', 'x'), 'Lab results')).toBe(
      'The EHR did not answer in time, so lab results could not be loaded.',
    );
  });

  it('blames no EHR for a 502 that is not an EHR error (a proxy in between)', () => {
    expect(errorMessage(new ApiError(502, 'http-502', 'Bad Gateway'), 'Vitals')).toBe(
      'Vitals could not be loaded.',
    );
  });
});

describe('WidgetError', () => {
  const error = new ApiError(504, 'ehr-unavailable', 'x');

  it('keeps focus on Retry while it retries, and ignores presses until it is done', async () => {
    const user = userEvent.setup();
    const onRetry = vi.fn();
    const { rerender } = render(<WidgetError error={error} what="Vitals" onRetry={onRetry} />);
    await user.click(screen.getByRole('button', { name: 'Retry' }));
    expect(onRetry).toHaveBeenCalledTimes(1);
    rerender(<WidgetError error={error} what="Vitals" onRetry={onRetry} retrying />);
    const button = screen.getByRole('button', { name: 'Retrying…' });
    // A disabled button loses focus (to the page's start); this one stays focusable and says it is busy.
    expect(button.hasAttribute('disabled')).toBe(false);
    expect(button.getAttribute('aria-disabled')).toBe('true');
    expect(document.activeElement).toBe(button);
    await user.click(button);
    await user.keyboard('{Enter}');
    expect(onRetry).toHaveBeenCalledTimes(1);
    rerender(<WidgetError error={error} what="Vitals" onRetry={onRetry} />);
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Retry' }));
    expect(screen.getByRole('button', { name: 'Retry' }).hasAttribute('aria-disabled')).toBe(false);
  });
});

describe('WidgetQueryStates', () => {
  it('keeps a failed read’s Retry, with focus on it, while the read is tried again', async () => {
    let answer: () => Promise<ChartPayload<string>> = () =>
      Promise.reject(new ApiError(502, 'ehr-error', 'x'));
    function Widget() {
      const query = useQuery({ queryKey: ['w'], queryFn: () => answer(), retry: false });
      return (
        <WidgetQueryStates query={query} loading="Loading vitals" what="Vitals">
          {(payload) => <p>{payload.data}</p>}
        </WidgetQueryStates>
      );
    }
    renderWithClient(<Widget />);
    const user = userEvent.setup();
    const retry = await screen.findByRole('button', { name: 'Retry' });
    let settle: (p: ChartPayload<string>) => void = () => {};
    answer = () => new Promise((resolve) => (settle = resolve));
    await user.click(retry);
    // The query has no data, so it is loading again: its skeleton would have taken the focused button away.
    const retrying = await screen.findByRole('button', { name: 'Retrying…' });
    expect(screen.queryByRole('progressbar')).toBeNull();
    expect(retrying.getAttribute('aria-disabled')).toBe('true');
    expect(document.activeElement).toBe(retrying);
    settle({ data: 'Blood pressure', warnings: [], fetchedAt: '2025-01-01T00:00:00Z' });
    expect(await screen.findByText('Blood pressure')).toBeTruthy();
  });
});
