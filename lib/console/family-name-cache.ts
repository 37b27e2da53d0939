import 'server-only';
import { processSingleton } from '../process-singleton';
import { TimedCache } from './cached';
import { computeFamilyNameAlert, type FamilyNameDeps, type FamilyNameReport } from './family-name-alert';

/** How long one look-up round at the EHRs serves the alerts page. */
export const FAMILY_NAME_CACHE_MINUTES = 10;

const cache = processSingleton(
  'family-name-alert',
  () => new TimedCache<FamilyNameReport>(FAMILY_NAME_CACHE_MINUTES * 60_000),
);

/**
 * The same-family-name alert over the last `hours`, looked up at the EHRs at
 * most once per period length every 10 minutes (per app server): opening the
 * alerts page again shows the earlier result and asks the EHRs nothing.
 */
export function familyNameAlert(
  deps: FamilyNameDeps,
  hours: number,
): Promise<{ value: FamilyNameReport; computedAt: number }> {
  return cache.get(String(hours), () => {
    const to = new Date();
    return computeFamilyNameAlert(deps, { from: new Date(to.getTime() - hours * 3_600_000), to });
  });
}
