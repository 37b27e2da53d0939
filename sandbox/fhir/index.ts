export { createFhirHandler } from './handler';
export type { FhirHandlerOptions } from './handler';
export { setGlobalFaults } from './faults';
export { ensureFhirSchema } from './schema';
