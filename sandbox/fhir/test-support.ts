/** Test helpers: follow every next link verbatim and collect the matches. */
import type { Bundle, Resource } from '@medplum/fhirtypes';
import type { TestFhirServer } from './test-server';

export async function fetchBundle(server: TestFhirServer, url: string, token: string): Promise<Bundle> {
  const res = await server.get(url, token);
  if (res.status !== 200) {
    throw new Error(`GET ${url} answered ${res.status}: ${await res.text()}`);
  }
  return (await res.json()) as Bundle;
}

export async function collectAll(
  server: TestFhirServer,
  url: string,
  token: string,
): Promise<{ resources: Resource[]; pages: Bundle[] }> {
  const resources: Resource[] = [];
  const pages: Bundle[] = [];
  let next: string | undefined = url;
  while (next) {
    const bundle = await fetchBundle(server, next, token);
    pages.push(bundle);
    for (const entry of bundle.entry ?? []) {
      if (entry.resource && entry.search?.mode !== 'outcome') {
        resources.push(entry.resource);
      }
    }
    next = bundle.link?.find((l) => l.relation === 'next')?.url;
    if (pages.length > 10_000) {
      throw new Error('paging does not end');
    }
  }
  return { resources, pages };
}
