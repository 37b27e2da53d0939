/** The sandbox's own FHIR side: deterministic synthetic patients behind the sandbox FHIR server. */
import type { SandboxConfig } from './config';
import { createSandboxData } from './data';
import { createFhirHandler } from './fhir';
import type { FhirBackend } from './server';

export async function createDefaultBackend(
  config: Pick<SandboxConfig, 'seed' | 'largePatient' | 'bundlesDir'>,
): Promise<FhirBackend> {
  const { repo, directory } = await createSandboxData({
    seed: config.seed,
    // Histories end today, so the chart's default "last year" view is full for the demo; the same
    // seed on the same day gives the same data.
    anchor: `${new Date().toISOString().slice(0, 10)}T00:00:00Z`,
    largePatient: config.largePatient,
    ...(config.bundlesDir === undefined ? {} : { bundleDirs: config.bundlesDir.split(':').filter(Boolean) }),
  });
  return { directory, createFhirHandler: (options) => createFhirHandler({ ...options, repo }) };
}
