import { useQuery, useQueryClient } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { Providers, useClearChartCache } from './providers';

function Probe() {
  const client = useQueryClient();
  const clear = useClearChartCache();
  const [left, setLeft] = useState<number | undefined>();
  const q = useQuery({
    queryKey: ['chart', 'L1', 'patient'],
    queryFn: async () => 'Rodríguez, Ana María',
    staleTime: Infinity,
  });
  return (
    <div>
      <p>{q.data}</p>
      <button
        type="button"
        onClick={() => {
          clear();
          setLeft(client.getQueryCache().getAll().length);
        }}
      >
        Log off
      </button>
      {left === undefined ? null : <p>{left} queries left</p>}
    </div>
  );
}

describe('Providers', () => {
  it('clears every cached chart query on log-off and stores nothing in web storage', async () => {
    render(
      <Providers>
        <Probe />
      </Providers>,
    );
    expect(await screen.findByText('Rodríguez, Ana María')).toBeTruthy();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Log off' }));
    expect(await screen.findByText('0 queries left')).toBeTruthy();
    expect(window.localStorage.length).toBe(0);
    expect(window.sessionStorage.length).toBe(0);
  });
});
