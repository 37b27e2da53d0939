import type { AuditStore } from '../store';
import { readInput } from './store-suite-input';

let tenantCounter = 0;
export const newTenant = (label: string): string => `${label}-${process.pid}-${++tenantCounter}`;

/** Appends n events in several batches, signing a checkpoint after each batch. */
export async function seed(store: AuditStore, tenant: string, n: number, batches = 4): Promise<void> {
  const per = Math.ceil(n / batches);
  for (let start = 0; start < n; start += per) {
    const inputs = Array.from({ length: Math.min(per, n - start) }, (_, k) => readInput(tenant, start + k));
    await store.append(inputs);
    await store.checkpoint(tenant);
  }
}
