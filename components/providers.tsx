'use client';

import { QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useCallback, useState } from 'react';
import { createChartQueryClient } from './query-client';

/** One QueryClient per browser tab, created on mount (never shared between requests on the server). */
export function Providers({ children }: { readonly children: ReactNode }) {
  const [client] = useState(createChartQueryClient);
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}

/** Log-off calls this so no patient data stays in memory after the session ends. */
export function useClearChartCache(): () => void {
  const client = useQueryClient();
  return useCallback(() => client.clear(), [client]);
}
