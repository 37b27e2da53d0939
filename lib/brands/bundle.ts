import { z } from 'zod';

/**
 * SMART User-access Brands (SMART App Launch 2.2, "User-access Brands and
 * Endpoints"): a FHIR Bundle of Organization brands, each with a name, a logo
 * and the Endpoints (FHIR bases) where its patients sign in. A hospital
 * publishes one so that apps can offer hundreds of portals without writing a
 * registration for each. Parsed strictly: anything but such a bundle is
 * refused with the place and the reason.
 */

const BRAND_EXT = 'http://hl7.org/fhir/StructureDefinition/organization-brand';
const PORTAL_EXT = 'http://hl7.org/fhir/StructureDefinition/organization-portal';
const FHIR_VERSION_EXT = 'http://hl7.org/fhir/StructureDefinition/endpoint-fhir-version';
const CONNECTION_TYPES = 'http://terminology.hl7.org/CodeSystem/endpoint-connection-type';

/** Most entries a bundle may hold (Epic's own has some thousands). */
export const MAX_ENTRIES = 50_000;

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** https, or http on this machine only (a local test EHR). */
const webUrl = z.url().refine(
  (u) => {
    const url = new URL(u);
    return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
  },
  { message: 'must be an https URL (http only on localhost)' },
);

/** A logo: an https URL, or an image inlined as a data: URL. */
const logoUrl = z.union([
  webUrl,
  z.string().regex(/^data:image\/(png|jpeg|gif|webp|svg\+xml)(;base64)?,/, {
    message: 'must be an https URL or a data:image URL',
  }),
]);

const Extension = z.object({ url: z.string().min(1) }).loose();
const SubExtension = z
  .object({
    url: z.string().min(1),
    valueUrl: z.string().optional(),
    valueString: z.string().optional(),
    valueReference: z.object({ reference: z.string().optional() }).loose().optional(),
  })
  .loose();

const Reference = z.object({ reference: z.string().min(1) }).loose();

const EndpointSchema = z
  .object({
    resourceType: z.literal('Endpoint'),
    id: z.string().min(1).optional(),
    status: z.enum(['active', 'suspended', 'error', 'off', 'entered-in-error', 'test']),
    connectionType: z
      .object(
        { system: z.literal(CONNECTION_TYPES), code: z.literal('hl7-fhir-rest') },
        {
          message: 'must be the FHIR REST connection type',
        },
      )
      .loose(),
    name: z.string().optional(),
    address: webUrl,
    extension: z.array(Extension).refine((exts) => exts.some((e) => e.url === FHIR_VERSION_EXT), {
      message: 'must name its FHIR version (endpoint-fhir-version extension)',
    }),
  })
  .loose();

const OrganizationSchema = z
  .object({
    resourceType: z.literal('Organization'),
    id: z.string().min(1).optional(),
    active: z.boolean().optional(),
    name: z.string().trim().min(1, { message: 'a brand needs a name' }),
    alias: z.array(z.string()).optional(),
    extension: z
      .array(z.object({ url: z.string(), extension: z.array(SubExtension).optional() }).loose())
      .optional(),
    endpoint: z.array(Reference).optional(),
    partOf: Reference.optional(),
  })
  .loose();

const EntrySchema = z.object({
  fullUrl: z.url({ message: 'each entry needs its fullUrl' }),
  resource: z.discriminatedUnion('resourceType', [OrganizationSchema, EndpointSchema], {
    message: 'a brands bundle holds only Organization and Endpoint resources',
  }),
});

const BundleSchema = z.object({
  resourceType: z.literal('Bundle', { message: 'not a FHIR Bundle' }),
  type: z.literal('collection', { message: 'a brands bundle is a Bundle of type "collection"' }),
  timestamp: z.iso.datetime({ offset: true, message: 'a brands bundle says when it was published' }),
  entry: z.array(EntrySchema).min(1, { message: 'the bundle is empty' }).max(MAX_ENTRIES),
});

export interface BrandEndpoint {
  /** The FHIR base patients sign in to. */
  readonly address: string;
  readonly name?: string;
}

export interface Brand {
  /** Stable within the bundle: the Organization's fullUrl. */
  readonly key: string;
  readonly name: string;
  /** Other names to search by: aliases and portal names. */
  readonly aliases: readonly string[];
  readonly logo?: string;
  /** Its own endpoints, or else those of the brand it is part of. */
  readonly endpoints: readonly BrandEndpoint[];
}

export class BrandsBundleError extends Error {
  override readonly name = 'BrandsBundleError';
}

type Organization = z.infer<typeof OrganizationSchema>;
type Endpoint = z.infer<typeof EndpointSchema>;

function subValue(org: Organization, ext: string, sub: string) {
  return org.extension
    ?.filter((e) => e.url === ext)
    .flatMap((e) => e.extension ?? [])
    .filter((s) => s.url === sub);
}

/** Resolves a reference inside the bundle: by fullUrl, or "Type/id" by the resources' ids. */
function resolver<R extends { id?: string | undefined }>(
  entries: readonly (readonly [string, R])[],
  type: string,
) {
  const byUrl = new Map(entries);
  const byId = new Map<string, string>(
    entries.flatMap(([url, r]) => (r.id ? [[`${type}/${r.id}`, url]] : [])),
  );
  return (reference: string): string | undefined => (byUrl.has(reference) ? reference : byId.get(reference));
}

/** Parses a User-access Brands bundle; throws a BrandsBundleError naming every problem. */
export function parseBrandsBundle(json: unknown, source: string): Brand[] {
  const result = BundleSchema.safeParse(json);
  if (!result.success) {
    const lines = result.error.issues
      .slice(0, 20)
      .map((i) => `  [${i.path.join('.') || 'bundle'}] ${i.message}`);
    const more = result.error.issues.length > 20 ? `\n  … and ${result.error.issues.length - 20} more` : '';
    throw new BrandsBundleError(
      `Not a valid User-access Brands bundle in ${source}:\n${lines.join('\n')}${more}`,
    );
  }
  const orgs: [string, Organization][] = [];
  const endpoints: [string, Endpoint][] = [];
  const seen = new Set<string>();
  for (const { fullUrl, resource } of result.data.entry) {
    if (seen.has(fullUrl)) throw new BrandsBundleError(`${source}: the fullUrl ${fullUrl} is used twice`);
    seen.add(fullUrl);
    if (resource.resourceType === 'Organization') orgs.push([fullUrl, resource]);
    else endpoints.push([fullUrl, resource]);
  }
  if (orgs.length === 0) throw new BrandsBundleError(`${source}: the bundle has no Organization brands`);
  const endpointOf = resolver(endpoints, 'Endpoint');
  const orgOf = resolver(orgs, 'Organization');
  const endpointByUrl = new Map(endpoints);
  const orgByUrl = new Map(orgs);

  const own = (url: string, org: Organization): string[] =>
    (org.endpoint ?? []).map(({ reference }) => {
      const target = endpointOf(reference);
      if (target === undefined)
        throw new BrandsBundleError(
          `${source}: brand ${url} names endpoint ${reference}, which is not in the bundle`,
        );
      return target;
    });

  /** Its own endpoints, else its parent's (an affiliate branded apart from the system it belongs to). */
  const endpointsOf = (url: string, org: Organization, depth = 0): string[] => {
    const mine = own(url, org);
    if (mine.length > 0 || org.partOf === undefined || depth > 8) return mine;
    const parent = orgOf(org.partOf.reference);
    if (parent === undefined)
      throw new BrandsBundleError(
        `${source}: brand ${url} is part of ${org.partOf.reference}, which is not in the bundle`,
      );
    return endpointsOf(parent, orgByUrl.get(parent)!, depth + 1);
  };

  return orgs
    .filter(([, org]) => org.active !== false)
    .map(([url, org]): Brand => {
      const logo = subValue(org, BRAND_EXT, 'brandLogo')?.[0]?.valueUrl;
      if (logo !== undefined && !logoUrl.safeParse(logo).success)
        throw new BrandsBundleError(
          `${source}: brand ${url} has a logo that is not an https or data:image URL`,
        );
      const portals = (subValue(org, PORTAL_EXT, 'portalName') ?? []).flatMap((s) => s.valueString ?? []);
      const usable = endpointsOf(url, org)
        .map((e) => endpointByUrl.get(e)!)
        .filter((e) => e.status === 'active' || e.status === 'test');
      return {
        key: url,
        name: org.name,
        aliases: [...new Set([...(org.alias ?? []), ...portals])].filter((a) => a !== org.name),
        ...(logo === undefined ? {} : { logo }),
        endpoints: usable.map((e) => ({
          address: e.address.replace(/\/+$/, ''),
          ...(e.name ? { name: e.name } : {}),
        })),
      };
    });
}
