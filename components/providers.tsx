'use client';

import { QueryClientProvider } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { createChartQueryClient } from './query-client';

/** One QueryClient per browser tab, created on mount (never shared between requests on the server). */
export function Providers({ children }: { readonly children: ReactNode }) {
  const [client] = useState(createChartQueryClient);
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
