import 'server-only';
import pino, { type DestinationStream, type Logger } from 'pino';
import { env } from './env';
import { processSingleton } from './process-singleton';

/**
 * Structured JSON logs: event codes and correlation ids, never tokens, cookies
 * or patient data. Redaction is enforced by the logger's configuration, so a
 * field that slips into a log call is censored rather than written.
 */
export const REDACT_PATHS = [
  'accessToken',
  'refreshToken',
  'idToken',
  'access_token',
  'refresh_token',
  'id_token',
  'token',
  'code',
  'code_verifier',
  'client_secret',
  'client_assertion',
  'authorization',
  'cookie',
  'set-cookie',
  'headers.authorization',
  'headers.cookie',
  'headers["set-cookie"]',
  'req.headers.authorization',
  'req.headers.cookie',
  'patient',
  'patientId',
  'mrn',
  'name',
  'birthDate',
  'body',
  'resource',
  'bundle',
  'query',
  'url',
  '*.accessToken',
  '*.refreshToken',
  '*.access_token',
  '*.refresh_token',
  '*.id_token',
  '*.token',
  '*.authorization',
  '*.cookie',
  '*.patient',
  '*.patientId',
  '*.body',
  '*.resource',
  '*.query',
  '*.url',
];

export function createLogger(destination?: DestinationStream, level?: string): Logger {
  return pino(
    {
      level: level ?? env().LOG_LEVEL,
      base: { app: 'smart-chart' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      // Error objects can carry request details in their message; keep only the name and code.
      serializers: {
        err: (e: unknown) =>
          e instanceof Error ? { type: e.name, code: (e as { code?: unknown }).code } : { type: typeof e },
      },
    },
    destination,
  );
}

/** One logger per process, shared by every route bundle (see lib/process-singleton.ts). */
const shared = processSingleton('log', (): { logger?: Logger } => ({}));

export function log(): Logger {
  shared.logger ??= createLogger();
  return shared.logger;
}
