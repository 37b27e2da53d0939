import type { Brand } from './bundle';

/** One card of the patients' start page. */
export interface HealthSystem {
  readonly key: string;
  /** The name patients know it by. */
  readonly name: string;
  /** Other names the search finds it by (aliases, portal names). */
  readonly aliases: readonly string[];
  /** An image URL the page may show (inlined data:image, or the app's own logo route). */
  readonly logo?: string;
  /** The registration to sign in with; absent: the app cannot sign in here yet. */
  readonly regId?: string;
}

export interface PatientRegistration {
  readonly id: string;
  readonly label: string;
  /** The normalized FHIR base. */
  readonly issuer: string;
}

const byName = (a: HealthSystem, b: HealthSystem) => a.name.localeCompare(b.name);

/**
 * The health systems a patient can pick: each imported brand, signed in through
 * the registration whose FHIR base is one of its endpoints (exactly, as an
 * issuer is matched), or "not connected yet" when the app has no registration
 * there — never a client invented for it; and each registration no brand
 * names, by its label. Connected ones first, then by name.
 */
export function healthSystems(
  registrations: readonly PatientRegistration[],
  brands: readonly Brand[],
  logoUrl: (brand: Brand, index: number) => string | undefined,
): HealthSystem[] {
  const byIssuer = new Map(registrations.map((r) => [r.issuer, r.id]));
  const named = new Set<string>();
  const fromBrands = brands.map((brand, index): HealthSystem => {
    const regId = brand.endpoints.map((e) => byIssuer.get(e.address)).find((id) => id !== undefined);
    if (regId !== undefined) named.add(regId);
    const logo = logoUrl(brand, index);
    return {
      key: `brand:${brand.key}`,
      name: brand.name,
      aliases: brand.aliases,
      ...(logo === undefined ? {} : { logo }),
      ...(regId === undefined ? {} : { regId }),
    };
  });
  const unbranded = registrations
    .filter((r) => !named.has(r.id))
    .map((r): HealthSystem => ({ key: `reg:${r.id}`, name: r.label, aliases: [], regId: r.id }));
  const all = [...unbranded, ...fromBrands];
  return [
    ...all.filter((s) => s.regId !== undefined).sort(byName),
    ...all.filter((s) => s.regId === undefined).sort(byName),
  ];
}
