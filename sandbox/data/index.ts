export { createSandboxData, generateSandboxResources, DEFAULT_SEED } from './create-sandbox-data';
export type { SandboxDataOptions } from './create-sandbox-data';
export { loadBundleDirs } from './bundle-loader';
