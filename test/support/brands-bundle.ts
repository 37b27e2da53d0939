/**
 * Generates a SMART User-access Brands bundle (SMART App Launch 2.2) of `count`
 * brands, each with its own Endpoint, as a hospital group would publish it.
 * The first brands can point at real FHIR bases (the sandbox's), the others at
 * made-up hosts no registration knows. Deterministic: the same arguments give
 * the same bundle.
 */

const PLACES = [
  'Riverside',
  'Lakeview',
  'Cedar Hills',
  'Northgate',
  'Bayview',
  'Maple Grove',
  'Summit',
  'Harbor',
  'Clearwater',
  'Pinecrest',
];
const KINDS = [
  'Health',
  'Medical Center',
  'Clinic',
  'Hospital',
  "Children's Hospital",
  'Family Practice',
  'Health Partners',
  'Community Care',
  'Heart Institute',
  'Regional Medical',
];
const COLORS = ['#1d4ed8', '#047857', '#b45309', '#7c3aed', '#be123c'];

/** A small inlined SVG logo: a coloured disc with the brand's initial. */
export function monogramLogo(name: string, index: number): string {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40"><circle cx="20" cy="20" r="20" fill="${COLORS[index % COLORS.length]}"/><text x="20" y="26" font-size="18" text-anchor="middle" fill="#fff" font-family="sans-serif">${name[0] ?? '?'}</text></svg>`;
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

export interface ConnectedBrand {
  readonly name: string;
  /** A FHIR base the app has a registration for. */
  readonly address: string;
}

/** The name of the i-th generated brand: "Riverside Health", "Lakeview Medical Center", … unique up to 100, then numbered. */
export function brandName(i: number): string {
  const base = `${PLACES[i % PLACES.length]} ${KINDS[Math.floor(i / PLACES.length) % KINDS.length]}`;
  return i < PLACES.length * KINDS.length
    ? base
    : `${base} ${Math.floor(i / (PLACES.length * KINDS.length)) + 1}`;
}

export function brandsBundle(count: number, connected: readonly ConnectedBrand[] = []): unknown {
  const entry = Array.from({ length: count }, (_, i) => {
    const link = connected[i];
    const name = link?.name ?? brandName(i);
    const address = link?.address ?? `https://fhir.brand-${i}.example.org/api/FHIR/R4`;
    const org = {
      fullUrl: `https://brands.example.org/Organization/brand-${i}`,
      resource: {
        resourceType: 'Organization',
        id: `brand-${i}`,
        extension: [
          {
            url: 'http://hl7.org/fhir/StructureDefinition/organization-brand',
            extension: [{ url: 'brandLogo', valueUrl: monogramLogo(name, i) }],
          },
          {
            url: 'http://hl7.org/fhir/StructureDefinition/organization-portal',
            extension: [{ url: 'portalName', valueString: `${name} MyChart` }],
          },
        ],
        identifier: [{ system: 'urn:ietf:rfc:3986', value: `https://brand-${i}.example.org` }],
        active: true,
        name,
        telecom: [{ system: 'url', value: `https://www.brand-${i}.example.org` }],
        endpoint: [{ reference: `Endpoint/endpoint-${i}` }],
      },
    };
    const endpoint = {
      fullUrl: `https://brands.example.org/Endpoint/endpoint-${i}`,
      resource: {
        resourceType: 'Endpoint',
        id: `endpoint-${i}`,
        extension: [
          { url: 'http://hl7.org/fhir/StructureDefinition/endpoint-fhir-version', valueCode: '4.0.1' },
        ],
        status: 'active',
        connectionType: {
          system: 'http://terminology.hl7.org/CodeSystem/endpoint-connection-type',
          code: 'hl7-fhir-rest',
        },
        name: `FHIR R4 endpoint for ${name}`,
        contact: [{ system: 'url', value: `https://open.brand-${i}.example.org` }],
        payloadType: [
          {
            coding: [{ system: 'http://terminology.hl7.org/CodeSystem/endpoint-payload-type', code: 'none' }],
          },
        ],
        address,
      },
    };
    return [org, endpoint];
  }).flat();
  return {
    resourceType: 'Bundle',
    id: 'generated-brands',
    type: 'collection',
    timestamp: '2026-01-05T12:00:00Z',
    entry,
  };
}
