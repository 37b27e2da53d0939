/**
 * Which requested SMART scopes the sandbox grants. The sandbox approves on the user's behalf, but
 * never beyond what the context allows: patient/* only with a patient in context (and then only
 * for that patient, which the token carries), user/* only for clinicians, system/* never in an
 * interactive flow. Everything else the client asked for and the sandbox does not know is refused.
 */

/** SMART v1 (`read`, `write`, `*`) and v2 (`cruds` subsets, optional query) resource scopes. */
const RESOURCE_SCOPE =
  /^(patient|user|system)\/(\*|[A-Z][A-Za-z]{1,63})\.(read|write|\*|c?r?u?d?s?)(\?[^\s]*)?$/;

/** Scopes with a fixed meaning that the authorization server advertises. */
export const STATIC_SCOPES = [
  'openid',
  'fhirUser',
  'profile',
  'launch',
  'launch/patient',
  'launch/encounter',
  'offline_access',
  'online_access',
] as const;

export interface ScopeContext {
  readonly userType: 'Practitioner' | 'Patient';
  readonly hasPatient: boolean;
  readonly hasEncounter: boolean;
  /** True for an EHR launch (the request carried a launch code). */
  readonly ehrLaunch: boolean;
}

export interface ScopeDecision {
  readonly granted: readonly string[];
  readonly rejected: readonly string[];
}

export type ResourceScope = {
  readonly level: 'patient' | 'user' | 'system';
  readonly resourceType: string;
  readonly permissions: string;
};

export function parseResourceScope(scope: string): ResourceScope | undefined {
  const match = RESOURCE_SCOPE.exec(scope);
  if (!match) return undefined;
  const [, level, resourceType, permissions] = match;
  if (level === undefined || resourceType === undefined || permissions === undefined || permissions === '')
    return undefined;
  return { level: level as ResourceScope['level'], resourceType, permissions };
}

function allowed(scope: string, context: ScopeContext): boolean {
  switch (scope) {
    case 'openid':
    case 'fhirUser':
    case 'profile':
    case 'offline_access':
    case 'online_access':
      return true;
    case 'launch':
      return context.ehrLaunch;
    case 'launch/patient':
      return context.hasPatient;
    case 'launch/encounter':
      return context.hasEncounter;
    default:
      break;
  }
  const resource = parseResourceScope(scope);
  if (!resource) return false;
  switch (resource.level) {
    case 'patient':
      return context.hasPatient;
    case 'user':
      return context.userType === 'Practitioner';
    case 'system':
      return false;
  }
}

export function decideScopes(requested: readonly string[], context: ScopeContext): ScopeDecision {
  const unique = [...new Set(requested.filter((scope) => scope !== ''))];
  return {
    granted: unique.filter((scope) => allowed(scope, context)),
    rejected: unique.filter((scope) => !allowed(scope, context)),
  };
}

/** Scopes the sandbox understands at all (fixed ones and well-formed resource scopes). */
export function wellFormedScopes(scopes: readonly string[]): string[] {
  const statics: readonly string[] = STATIC_SCOPES;
  return [
    ...new Set(scopes.filter((scope) => statics.includes(scope) || parseResourceScope(scope) !== undefined)),
  ];
}
