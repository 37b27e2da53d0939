import type { SupplementalOxygen } from './types';

/**
 * A saturation taken on room air: a flow of nothing, at room air's inspired fraction or none given. A reading that
 * names no oxygen at all is not this: it did not say.
 */
export function onRoomAir(o: SupplementalOxygen): boolean {
  return o.flow === 0 && (o.concentration === undefined || o.concentration <= 21);
}
