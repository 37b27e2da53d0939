/** Ports of the app and sandbox EHR started for the end-to-end run (not the ones `npm start` uses). */
export const E2E_APP_PORT = Number(process.env.E2E_APP_PORT ?? 3100);
export const E2E_SANDBOX_PORT = Number(process.env.E2E_SANDBOX_PORT ?? 4100);
export const APP_URL = `http://localhost:${E2E_APP_PORT}`;
export const SANDBOX_URL = `http://localhost:${E2E_SANDBOX_PORT}`;
