/**
 * The sandbox EHR's own endpoints: the launch page, non-interactive launches and sign-in for
 * tests, the embedded-EHR page, the directory, health and the SMART style document.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fhirBase } from '../auth/bases';
import type { SessionCodec } from '../auth/sandbox-session';
import { parseUserReference } from '../auth/sandbox-session';
import type { SandboxConfig } from '../config';
import type { SandboxDirectory } from '../contract';
import { readBody } from './body';
import { redirect, renderPage, sendErrorPage, sendHtml, sendJson } from './html';
import { parseFaults } from './faults';
import { parseLaunchRequest } from './launch-request';
import type { LaunchContext, LaunchStore } from './launch-store';
import { framePage, launchPage } from './pages';

export interface LaunchRoutesDeps {
  readonly config: SandboxConfig;
  readonly directory: SandboxDirectory;
  readonly launches: LaunchStore;
  readonly sessions: SessionCodec;
  readonly startedAt: Date;
  /** Token requests so far, by grant type (for tests counting refreshes). */
  readonly tokenRequests: Readonly<Record<string, number>>;
}

/** SMART style document (App Launch 2.x `smart_style_url`). */
const SMART_STYLE = {
  color_background: '#f3f4f6',
  color_error: '#b91c1c',
  color_highlight: '#0f4c81',
  color_modal_backdrop: '',
  color_success: '#15803d',
  color_text: '#1f2937',
  dim_border_radius: '6px',
  dim_font_size: '14px',
  dim_spacing_size: '16px',
  font_family_body: 'system-ui, sans-serif',
  font_family_heading: 'system-ui, sans-serif',
} as const;

function single(params: URLSearchParams): Record<string, string | undefined> {
  return Object.fromEntries([...params.keys()].map((key) => [key, params.get(key) ?? undefined]));
}

export function createLaunchRoutes(deps: LaunchRoutesDeps) {
  const { config, directory, launches, sessions } = deps;
  const appOrigin = new URL(config.appUrl).origin;

  const appLaunchUrl = (code: string, context: LaunchContext): string => {
    const url = new URL(`${config.appUrl}/launch`);
    url.searchParams.set('iss', fhirBase(config.publicUrl, context.personality));
    url.searchParams.set('launch', code);
    return url.href;
  };

  const frameUrl = (code: string): string =>
    `${config.publicUrl}/ehr/frame?launch=${encodeURIComponent(code)}`;

  /** Returns true when it handled the request. */
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => {
    const route = `${req.method ?? 'GET'} ${url.pathname}`;
    switch (route) {
      case 'GET /':
        sendHtml(res, 200, launchPage(directory, config.appUrl), { formOrigins: [appOrigin] });
        return true;
      case 'GET /launch/ehr': {
        const parsed = parseLaunchRequest(single(url.searchParams), directory);
        if (!parsed.ok) {
          sendErrorPage(res, 400, parsed.error);
          return true;
        }
        const code = launches.create(parsed.value.context);
        redirect(res, parsed.value.frame ? frameUrl(code) : appLaunchUrl(code, parsed.value.context));
        return true;
      }
      case 'POST /_sandbox/launch': {
        let body: unknown;
        try {
          body = JSON.parse(await readBody(req));
        } catch {
          sendJson(res, 400, { error: 'body must be JSON' });
          return true;
        }
        const input = typeof body === 'object' && body !== null ? body : {};
        const values = Object.fromEntries(
          Object.entries(input).map(([key, value]) => [
            key,
            typeof value === 'string' ? value : value === undefined ? undefined : JSON.stringify(value),
          ]),
        );
        const parsed = parseLaunchRequest(values, directory);
        if (!parsed.ok) {
          sendJson(res, 400, { error: parsed.error });
          return true;
        }
        const code = launches.create(parsed.value.context);
        sendJson(res, 201, {
          launch: code,
          iss: fhirBase(config.publicUrl, parsed.value.context.personality),
          url: parsed.value.frame ? frameUrl(code) : appLaunchUrl(code, parsed.value.context),
        });
        return true;
      }
      case 'GET /ehr/frame': {
        const code = url.searchParams.get('launch') ?? '';
        const context = launches.peek(code);
        if (!context) {
          sendErrorPage(
            res,
            404,
            'This launch is unknown or has expired. Start again from the Sandbox EHR page.',
          );
          return true;
        }
        const practitioner = directory.practitioners.find((p) => `Practitioner/${p.id}` === context.user);
        const patient = directory.patients.find((p) => p.id === context.patient);
        const html = framePage({
          practitionerName: practitioner?.name ?? context.user,
          patientName: patient?.name ?? '',
          personality: context.personality,
          appLaunchUrl: appLaunchUrl(code, context),
        });
        sendHtml(res, 200, html, { frameOrigins: [appOrigin] });
        return true;
      }
      case 'GET /session': {
        const user = parseUserReference(url.searchParams.get('user'));
        const patient = url.searchParams.get('patient') ?? undefined;
        const secure = config.publicUrl.startsWith('https:');
        if (url.searchParams.get('user') === null) {
          res.setHeader('set-cookie', sessions.setCookie(undefined, secure));
          sendJson(res, 200, { signedOut: true });
          return true;
        }
        const [type, id] = (user ?? '').split('/');
        const known =
          type === 'Patient'
            ? directory.patients.some((p) => p.id === id)
            : directory.practitioners.some((p) => p.id === id);
        if (!user || !known || (patient !== undefined && !directory.patients.some((p) => p.id === patient))) {
          sendJson(res, 400, { error: 'unknown user or patient' });
          return true;
        }
        const faults = url.searchParams.get('faults') ?? undefined;
        const parsedFaults = parseFaults(faults);
        if (!parsedFaults.ok) {
          sendJson(res, 400, { error: parsedFaults.error });
          return true;
        }
        const clinician = type === 'Practitioner';
        const session = {
          user,
          ...(clinician && patient !== undefined ? { patient } : {}),
          // Options of a clinician's sign-in: the EHR names no patient; the app gets no patient search.
          ...(clinician && url.searchParams.get('patientContext') === 'none'
            ? { noPatientContext: true }
            : {}),
          ...(clinician && url.searchParams.get('patientSearch') === 'withheld'
            ? { withholdPatientSearch: true }
            : {}),
          ...(parsedFaults.faults.length > 0 ? { faults } : {}),
        };
        res.setHeader('set-cookie', sessions.setCookie(session, secure));
        sendJson(res, 200, session);
        return true;
      }
      case 'GET /_sandbox/directory':
        sendJson(res, 200, directory);
        return true;
      case 'GET /_sandbox/health':
        sendJson(res, 200, { status: 'ok', startedAt: deps.startedAt.toISOString() });
        return true;
      case 'GET /_sandbox/token-requests':
        sendJson(res, 200, deps.tokenRequests);
        return true;
      case 'GET /_sandbox/smart-style.json':
        sendJson(res, 200, SMART_STYLE, {
          'access-control-allow-origin': '*',
          'cache-control': 'public, max-age=3600',
        });
        return true;
      case 'GET /_sandbox/callback':
        // Landing page of the sandbox-test-* clients; deliberately does not echo the code.
        sendHtml(
          res,
          200,
          renderPage(
            'Authorization complete',
            '<main><h2>Authorization complete</h2><p>You can close this window.</p></main>',
          ),
        );
        return true;
      default:
        return false;
    }
  };
}
