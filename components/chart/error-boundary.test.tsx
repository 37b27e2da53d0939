import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WidgetFrame } from './widget-frame';

let broken = true;
function Fragile() {
  if (broken) throw new Error('unexpected shape');
  return <p>Recovered</p>;
}

function Two() {
  const [n] = useState(2);
  return (
    <>
      <WidgetFrame title="Labs">
        <Fragile />
      </WidgetFrame>
      <WidgetFrame title="Problems">
        <p>{n} active problems</p>
      </WidgetFrame>
    </>
  );
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('WidgetFrame error boundary', () => {
  it('contains a rendering failure to its widget and recovers on Retry', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    broken = true;
    render(<Two />);
    expect(screen.getByRole('alert').textContent).toContain('Labs could not be displayed.');
    expect(screen.getByText('2 active problems')).toBeTruthy();
    // The log names the error type only: its message could quote patient data.
    expect(logged.mock.calls.some((args) => args.includes('unexpected shape'))).toBe(false);
    broken = false;
    await userEvent.setup().click(screen.getByRole('button', { name: 'Retry' }));
    expect(screen.getByText('Recovered')).toBeTruthy();
  });
});
