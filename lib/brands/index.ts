import 'server-only';
import { readFileSync, statSync } from 'node:fs';
import { env } from '../env';
import { type Brand, BrandsBundleError, parseBrandsBundle } from './bundle';

export { BrandsBundleError } from './bundle';

/** Largest bundle file read (a national bundle of several thousand brands is a few megabytes). */
const MAX_BYTES = 50 * 1024 * 1024;

function load(file: string): Brand[] {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new BrandsBundleError(`USER_ACCESS_BRANDS: cannot read ${file}`);
  }
  if (size > MAX_BYTES) throw new BrandsBundleError(`USER_ACCESS_BRANDS: ${file} is larger than 50 MB`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new BrandsBundleError(`USER_ACCESS_BRANDS: ${file} is not JSON`);
  }
  return parseBrandsBundle(json, file);
}

let cached: Brand[] | undefined;

/** The brands imported from the USER_ACCESS_BRANDS file (none without it); read once, checked at start. */
export function importedBrands(): readonly Brand[] {
  if (cached === undefined) {
    const file = env().USER_ACCESS_BRANDS;
    cached = file === undefined ? [] : load(file);
  }
  return cached;
}
