/**
 * SMART App Launch scopes (v1 `patient/Observation.read`, v2 `patient/Observation.rs?category=laboratory`)
 * reduced to what this read-only server needs: may the token read or search a type,
 * and with which compartment and query restrictions.
 */
export type ScopeContext = 'patient' | 'user' | 'system';
export type Interaction = 'read' | 'search';

export interface ScopeRule {
  readonly context: ScopeContext;
  /** A resource type or `*`. */
  readonly resourceType: string;
  readonly read: boolean;
  readonly search: boolean;
  /** v2 query restriction, e.g. category=laboratory (all must match). */
  readonly restriction?: URLSearchParams;
}

const SCOPE_PATTERN = /^(patient|user|system)\/([A-Za-z]+|\*)\.([a-z*]+)(?:\?(.*))?$/;

export function parseScope(scope: string): ScopeRule | undefined {
  const match = SCOPE_PATTERN.exec(scope);
  if (!match) {
    return undefined;
  }
  const [, context, resourceType, permissions, query] = match;
  if (!context || !resourceType || !permissions) {
    return undefined;
  }
  let read = false;
  let search = false;
  if (permissions === 'read' || permissions === '*') {
    read = true;
    search = true;
  } else if (permissions === 'write') {
    // v1 write grants nothing on a read-only server.
  } else if (/^c?r?u?d?s?$/.test(permissions)) {
    // v2 letters must appear in cruds order.
    read = permissions.includes('r');
    search = permissions.includes('s');
  } else {
    return undefined;
  }
  return {
    context: context as ScopeContext,
    resourceType,
    read,
    search,
    ...(query ? { restriction: new URLSearchParams(query) } : {}),
  };
}

export interface AccessDecision {
  /** Rules that grant the interaction on the type; empty means no scope. */
  readonly rules: readonly ScopeRule[];
  /** True when only patient/ rules apply: access is confined to the patient in context. */
  readonly patientOnly: boolean;
}

export function decideAccess(
  scopes: readonly string[],
  resourceType: string,
  interaction: Interaction,
): AccessDecision {
  const rules = scopes
    .map(parseScope)
    .filter((r): r is ScopeRule => r !== undefined)
    .filter((r) => (r.resourceType === '*' || r.resourceType === resourceType) && r[interaction]);
  const broad = rules.filter((r) => r.context !== 'patient');
  // A user/ or system/ rule is wider than any patient/ rule; use the wider set alone.
  if (broad.length > 0) {
    return { rules: broad, patientOnly: false };
  }
  return { rules, patientOnly: rules.length > 0 };
}
