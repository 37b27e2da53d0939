import type { Vendor } from '../types';
import type { VendorAdapter } from './adapter';
import { athenaAdapter } from './athena';
import { cernerAdapter } from './cerner';
import { epicAdapter } from './epic';
import { genericAdapter } from './generic';
import { nextgenAdapter } from './nextgen';
import { veradigmAdapter } from './veradigm';

export type { ObservationCategory, SearchInput, SmartConfiguration, VendorAdapter } from './adapter';
export { chartScopes } from './adapter';
export { detectVendor } from './detect';

export function adapterFor(vendor: Vendor): VendorAdapter {
  switch (vendor) {
    case 'epic':
      return epicAdapter;
    case 'cerner':
      return cernerAdapter;
    case 'athena':
      return athenaAdapter;
    case 'nextgen':
      return nextgenAdapter;
    case 'veradigm':
      return veradigmAdapter;
    case 'generic':
      return genericAdapter;
  }
}
