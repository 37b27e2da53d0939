/**
 * Completes oidc-provider interactions. An EHR launch (with `launch`) is already signed in: its
 * context comes from the launch code and no page is shown. A standalone launch uses the sandbox
 * session (or asks the user to sign in), and a clinician without a patient picks one. Each
 * completion creates a new grant holding exactly the scopes the context allows.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { InteractionResults } from 'oidc-provider';
import { SANDBOX_PASSWORD, type SandboxConfig } from '../config';
import type { SandboxDirectory } from '../contract';
import { readForm } from '../launch/body';
import { parseFaults } from '../launch/faults';
import { redirect, sendErrorPage, sendHtml } from '../launch/html';
import type { LaunchContext, LaunchStore, UserReference } from '../launch/launch-store';
import { fhirBase, personalityForAud } from './bases';
import type { GrantContexts } from './grant-contexts';
import { loginPage, patientPickerPage } from './interaction-pages';
import type { SandboxSession, SessionCodec } from './sandbox-session';
import { STATIC_SCOPES, decideScopes } from './scopes';

export interface InteractionDeps {
  readonly provider: Provider;
  readonly config: SandboxConfig;
  readonly directory: SandboxDirectory;
  readonly launches: LaunchStore;
  readonly grantContexts: GrantContexts;
  readonly sessions: SessionCodec;
}

type Details = Awaited<ReturnType<Provider['interactionDetails']>>;

const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

export function smartStyleUrl(publicUrl: string): string {
  return `${publicUrl}/_sandbox/smart-style.json`;
}

export function createInteractionHandler(deps: InteractionDeps) {
  const { provider, config, directory, launches, grantContexts, sessions } = deps;
  const formOrigins = [new URL(config.appUrl).origin, new URL(config.publicUrl).origin];

  const userExists = (user: UserReference): boolean => {
    const [type, id] = user.split('/');
    return type === 'Patient'
      ? directory.patients.some((p) => p.id === id)
      : directory.practitioners.some((p) => p.id === id);
  };

  const finish = async (
    req: IncomingMessage,
    res: ServerResponse,
    result: InteractionResults,
  ): Promise<void> => {
    redirect(
      res,
      await provider.interactionResult(req, res, result, { mergeWithLastSubmission: false }),
      303,
    );
  };

  const fail = (req: IncomingMessage, res: ServerResponse, error: string, description: string) =>
    finish(req, res, { error, error_description: description });

  const bind = async (
    req: IncomingMessage,
    res: ServerResponse,
    details: Details,
    context: LaunchContext,
    ehrLaunch: boolean,
  ): Promise<void> => {
    // The resource exactly as requested (validated to name this personality's base), so the
    // grant's resource scopes match what oidc-provider checks.
    const aud = str(details.params.resource) ?? fhirBase(config.publicUrl, context.personality);
    const userType = context.user.startsWith('Patient/') ? 'Patient' : 'Practitioner';
    const withheld = new Set(context.withheldScopes ?? []);
    const decided = decideScopes((str(details.params.scope) ?? '').split(' '), {
      userType,
      hasPatient: context.patient !== undefined,
      hasEncounter: context.encounter !== undefined,
      ehrLaunch,
    });
    // A scope on a withheld resource type is refused, as by an EHR that never gave the app that access.
    const isWithheld = (scope: string) =>
      (scope === 'profile' && context.withholdProfile === true) ||
      withheld.has(/^(?:patient|user)\/([A-Za-z]+)\./.exec(scope)?.[1] ?? '');
    const decision = {
      granted: decided.granted.filter((scope) => !isWithheld(scope)),
      rejected: [...decided.rejected, ...decided.granted.filter(isWithheld)],
    };
    const grant = new provider.Grant({
      accountId: context.user,
      clientId: str(details.params.client_id) ?? '',
    });
    const isStatic = (scope: string) => (STATIC_SCOPES as readonly string[]).includes(scope);
    const grantedStatic = decision.granted.filter(isStatic);
    const rejectedStatic = decision.rejected.filter(isStatic);
    if (grantedStatic.length) grant.addOIDCScope(grantedStatic.join(' '));
    if (rejectedStatic.length) grant.rejectOIDCScope(rejectedStatic.join(' '));
    // The access token's scopes are the resource's: everything granted, fixed scopes included.
    if (decision.granted.length) grant.addResourceScope(aud, decision.granted.join(' '));
    if (decision.rejected.length) grant.rejectResourceScope(aud, decision.rejected.join(' '));
    const grantId = await grant.save();
    grantContexts.set(grantId, { ...context, aud, smartStyleUrl: smartStyleUrl(config.publicUrl) });
    const redirectTo = await provider.interactionResult(
      req,
      res,
      { login: { accountId: context.user }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
    await switchSessionUser(details, context.user);
    redirect(res, redirectTo, 303);
  };

  /**
   * When someone else signed in earlier in this browser, oidc-provider would answer with a
   * scripted logout page. The EHR user is already signed in, so the sandbox hands the session
   * over to them directly (with no grants carried across).
   */
  const switchSessionUser = async (details: Details, user: UserReference): Promise<void> => {
    const previous = details.session;
    if (!previous?.accountId || previous.accountId === user) return;
    const session = await provider.Session.findByUid(previous.uid);
    if (!session) return;
    session.authorizations = {};
    session.loginAccount({ accountId: user });
    await session.save(Math.max(session.exp ? session.exp - Math.floor(Date.now() / 1000) : 0, 60));
  };

  /** Decides what the interaction needs next for a signed-in user, or completes it. */
  const proceed = async (
    req: IncomingMessage,
    res: ServerResponse,
    details: Details,
    user: UserReference,
    pickedPatient?: string,
    options: Pick<SandboxSession, 'noPatientContext' | 'withholdPatientSearch' | 'faults'> = {},
  ) => {
    const faults = parseFaults(options.faults);
    const personality = personalityForAud(config.publicUrl, str(details.params.aud));
    if (!personality)
      return fail(req, res, 'invalid_request', 'aud must be the FHIR base URL of this server');
    const base = {
      user,
      personality,
      needPatientBanner: true,
      ...(options.withholdPatientSearch ? { withheldScopes: ['Patient'] } : {}),
      ...(faults.ok && faults.faults.length > 0 ? { faults: faults.faults } : {}),
    } as const;
    if (user.startsWith('Patient/'))
      return bind(req, res, details, { ...base, patient: user.slice('Patient/'.length) }, false);
    const wantsPatient = (str(details.params.scope) ?? '').split(' ').includes('launch/patient');
    if (!wantsPatient || options.noPatientContext) return bind(req, res, details, base, false);
    if (pickedPatient && directory.patients.some((p) => p.id === pickedPatient)) {
      return bind(req, res, details, { ...base, patient: pickedPatient }, false);
    }
    const name = directory.practitioners.find((p) => `Practitioner/${p.id}` === user)?.name ?? user;
    sendHtml(res, 200, patientPickerPage(details.uid, name, directory), { formOrigins });
  };

  const start = async (req: IncomingMessage, res: ServerResponse, details: Details): Promise<void> => {
    const launchCode = str(details.params.launch);
    if (launchCode) {
      const launch = launches.take(launchCode);
      if (!launch) return fail(req, res, 'invalid_request', 'launch is unknown, expired or already used');
      if (personalityForAud(config.publicUrl, str(details.params.aud)) !== launch.personality) {
        return fail(req, res, 'invalid_request', 'aud does not match the FHIR server of the launch');
      }
      return bind(req, res, details, launch, true);
    }
    const session = sessions.read(req);
    if (session && userExists(session.user))
      return proceed(req, res, details, session.user, session.patient, session);
    sendHtml(res, 200, loginPage(details.uid, clientName(details), directory), { formOrigins });
  };

  const login = async (req: IncomingMessage, res: ServerResponse, details: Details): Promise<void> => {
    const form = await readForm(req);
    const username = form.get('username') ?? '';
    const user: UserReference | undefined = directory.patients.some((p) => p.id === username)
      ? `Patient/${username}`
      : directory.practitioners.some((p) => p.id === username)
        ? `Practitioner/${username}`
        : undefined;
    if (!user || !passwordMatches(form.get('password') ?? '')) {
      sendHtml(
        res,
        401,
        loginPage(details.uid, clientName(details), directory, 'Unknown user or wrong password.'),
        { formOrigins },
      );
      return;
    }
    res.setHeader('set-cookie', sessions.setCookie({ user }, config.publicUrl.startsWith('https:')));
    await proceed(req, res, details, user);
  };

  return async (req: IncomingMessage, res: ServerResponse, subPath: string): Promise<void> => {
    const [uid, action] = subPath.split('/').filter(Boolean);
    let details: Details;
    try {
      details = await provider.interactionDetails(req, res);
    } catch {
      return sendErrorPage(
        res,
        400,
        'This sign-in session has expired. Start the launch again from the app.',
      );
    }
    if (details.uid !== uid)
      return sendErrorPage(res, 400, 'This sign-in page does not belong to the current session.');
    if (req.method === 'GET' && action === undefined) return start(req, res, details);
    if (req.method !== 'POST') return sendErrorPage(res, 405, 'Method not allowed.');
    switch (action) {
      case 'login':
        return login(req, res, details);
      case 'patient': {
        const session = sessions.read(req);
        if (!session || !session.user.startsWith('Practitioner/'))
          return sendErrorPage(res, 403, 'Sign in as a clinician first.');
        const form = await readForm(req);
        return proceed(req, res, details, session.user, form.get('patient') ?? undefined, session);
      }
      case 'abort':
        return fail(req, res, 'access_denied', 'the user cancelled the authorization');
      default:
        return sendErrorPage(res, 404, 'Not found.');
    }
  };
}

function clientName(details: Details): string {
  return str(details.params.client_id) ?? 'An app';
}

function passwordMatches(given: string): boolean {
  const expected = Buffer.from(SANDBOX_PASSWORD);
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
