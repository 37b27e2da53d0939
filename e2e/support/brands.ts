import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brandsBundle } from '../../test/support/brands-bundle';

/** The one generated brand the app can sign in to: its endpoint is the sandbox's athenahealth personality. */
export const CONNECTED_BRAND = 'Sandbox Community Hospital';
export const BRAND_COUNT = 200;

/** Writes the e2e run's User-access Brands bundle (200 brands, one on the sandbox) and returns its path. */
export function writeBrandsBundle(sandboxUrl: string): string {
  const file = path.resolve('.test-data/brands/user-access-brands.json');
  mkdirSync(path.dirname(file), { recursive: true });
  const bundle = brandsBundle(BRAND_COUNT, [{ name: CONNECTED_BRAND, address: `${sandboxUrl}/athena/fhir` }]);
  writeFileSync(file, JSON.stringify(bundle));
  return file;
}
