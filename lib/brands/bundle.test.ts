import { describe, expect, it } from 'vitest';
import { brandName, brandsBundle } from '@/test/support/brands-bundle';
import { type Brand, BrandsBundleError, parseBrandsBundle } from './bundle';
import { healthSystems } from './health-systems';

type Json = Record<string, unknown> & { entry: { fullUrl: string; resource: Record<string, unknown> }[] };
const bundle = (n: number, connected: Parameters<typeof brandsBundle>[1] = []) =>
  structuredClone(brandsBundle(n, connected)) as Json;

const refusal = (json: unknown) => {
  try {
    parseBrandsBundle(json, 'brands.json');
  } catch (e) {
    expect(e).toBeInstanceOf(BrandsBundleError);
    return (e as Error).message;
  }
  throw new Error('the bundle was accepted');
};

describe('parseBrandsBundle', () => {
  it('imports a generated bundle of 200 brands and 200 endpoints', () => {
    const json = bundle(200);
    expect(json.entry.filter((e) => e.resource.resourceType === 'Endpoint')).toHaveLength(200);
    const brands = parseBrandsBundle(json, 'brands.json');
    expect(brands).toHaveLength(200);
    expect(new Set(brands.map((b) => b.name)).size).toBe(200);
    expect(brands[7]).toEqual({
      key: 'https://brands.example.org/Organization/brand-7',
      name: brandName(7),
      aliases: [`${brandName(7)} MyChart`],
      logo: expect.stringMatching(/^data:image\/svg\+xml;base64,/),
      endpoints: [
        {
          address: 'https://fhir.brand-7.example.org/api/FHIR/R4',
          name: `FHIR R4 endpoint for ${brandName(7)}`,
        },
      ],
    });
  });

  it('gives an affiliate without endpoints of its own those of the system it is part of', () => {
    const json = bundle(2);
    const affiliate = json.entry[2]!.resource;
    delete affiliate.endpoint;
    affiliate.partOf = { reference: 'Organization/brand-0' };
    const [, second] = parseBrandsBundle(json, 'brands.json');
    expect(second!.endpoints.map((e) => e.address)).toEqual(['https://fhir.brand-0.example.org/api/FHIR/R4']);
  });

  it('leaves out inactive brands and endpoints that are off', () => {
    const json = bundle(3);
    json.entry[0]!.resource.active = false;
    json.entry[3]!.resource.status = 'off';
    const brands = parseBrandsBundle(json, 'brands.json');
    expect(brands.map((b) => b.name)).toEqual([brandName(1), brandName(2)]);
    expect(brands[0]!.endpoints).toEqual([]);
  });

  it('refuses what is not a brands bundle, saying why', () => {
    expect(refusal({ resourceType: 'Patient', id: 'x' })).toMatch(/not a FHIR Bundle/);
    expect(refusal({ ...bundle(1), type: 'searchset' })).toMatch(/Bundle of type "collection"/);
    expect(refusal({ ...bundle(1), entry: [] })).toMatch(/the bundle is empty/);
    expect(refusal('[]')).toMatch(/Not a valid User-access Brands bundle in brands.json/);
    const withPatient = bundle(1);
    withPatient.entry.push({
      fullUrl: 'https://x.example.org/Patient/1',
      resource: { resourceType: 'Patient' },
    });
    expect(refusal(withPatient)).toMatch(
      /\[entry\.2\.resource\.resourceType\] a brands bundle holds only Organization and Endpoint/,
    );
    const onlyEndpoints = bundle(1);
    onlyEndpoints.entry.shift();
    expect(refusal(onlyEndpoints)).toMatch(/no Organization brands/);
  });

  it('refuses malformed brands and endpoints, naming the place', () => {
    const noName = bundle(2);
    delete noName.entry[2]!.resource.name;
    expect(refusal(noName)).toMatch(/\[entry\.2\.resource\.name\]/);
    const plainHttp = bundle(1);
    plainHttp.entry[1]!.resource.address = 'http://fhir.example.org/R4';
    expect(refusal(plainHttp)).toMatch(/\[entry\.1\.resource\.address\] must be an https URL/);
    const notFhir = bundle(1);
    notFhir.entry[1]!.resource.connectionType = {
      system: 'http://terminology.hl7.org/CodeSystem/endpoint-connection-type',
      code: 'direct-project',
    };
    expect(refusal(notFhir)).toMatch(/connectionType/);
    const noVersion = bundle(1);
    noVersion.entry[1]!.resource.extension = [];
    expect(refusal(noVersion)).toMatch(/FHIR version/);
    const dangling = bundle(1);
    dangling.entry[0]!.resource.endpoint = [{ reference: 'Endpoint/nowhere' }];
    expect(refusal(dangling)).toMatch(/names endpoint Endpoint\/nowhere, which is not in the bundle/);
    const twice = bundle(2);
    twice.entry[2]!.fullUrl = twice.entry[0]!.fullUrl;
    expect(refusal(twice)).toMatch(/used twice/);
    const scriptLogo = bundle(1);
    (
      scriptLogo.entry[0]!.resource.extension as { extension: { valueUrl: string }[] }[]
    )[0]!.extension[0]!.valueUrl = 'javascript:alert(1)';
    expect(refusal(scriptLogo)).toMatch(/logo that is not an https or data:image URL/);
  });
});

describe('healthSystems', () => {
  const regs = [
    { id: 'sandbox-generic', label: 'Sandbox EHR', issuer: 'http://localhost:4000/generic/fhir' },
    {
      id: 'sandbox-athena',
      label: 'Sandbox EHR (athenahealth behaviour)',
      issuer: 'http://localhost:4000/athena/fhir',
    },
  ];
  const brands: Brand[] = parseBrandsBundle(
    bundle(200, [{ name: 'Sandbox Community Hospital', address: 'http://localhost:4000/athena/fhir/' }]),
    'brands.json',
  );
  const systems = healthSystems(regs, brands, (b) => b.logo);

  it('signs in to a brand through the registration of its endpoint, and shows the rest as not connected', () => {
    expect(systems).toHaveLength(201);
    const connected = systems.filter((s) => s.regId !== undefined);
    expect(connected.map((s) => [s.name, s.regId])).toEqual([
      ['Sandbox Community Hospital', 'sandbox-athena'],
      ['Sandbox EHR', 'sandbox-generic'],
    ]);
    expect(systems.slice(2).every((s) => s.regId === undefined && s.logo?.startsWith('data:image/'))).toBe(
      true,
    );
  });

  it('keeps the brands in name order after the connected ones', () => {
    const names = systems.slice(2).map((s) => s.name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
  });
});
