import 'server-only';
import { processSingleton } from '../process-singleton';

/**
 * SMART `smart_style_url`: the EHR's colours, applied so the app looks at
 * home in its frame. Fetched only from the registered EHR's own origin, and
 * only values that are plainly colours or lengths are kept (no CSS injection).
 */

const COLOR = /^(#[0-9a-f]{3,8}|rgba?\(\s*[\d.]+\s*,\s*[\d.]+\s*,\s*[\d.]+\s*(,\s*[\d.]+\s*)?\))$/i;
const LENGTH = /^\d{1,3}(\.\d{1,2})?(px|em|rem)$/;
const FONT = /^[\w\s,"'-]{1,120}$/;

const MAP: Record<string, { readonly cssVar: string; readonly pattern: RegExp }> = {
  color_background: { cssVar: '--ehr-background', pattern: COLOR },
  color_error: { cssVar: '--ehr-error', pattern: COLOR },
  color_highlight: { cssVar: '--ehr-primary', pattern: COLOR },
  color_success: { cssVar: '--ehr-success', pattern: COLOR },
  color_text: { cssVar: '--ehr-text', pattern: COLOR },
  dim_border_radius: { cssVar: '--ehr-radius', pattern: LENGTH },
  dim_font_size: { cssVar: '--ehr-font-size', pattern: LENGTH },
  font_family_body: { cssVar: '--ehr-font-body', pattern: FONT },
};

export function styleVariables(style: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!style || typeof style !== 'object') return out;
  for (const [key, value] of Object.entries(style as Record<string, unknown>)) {
    const m = MAP[key];
    if (m && typeof value === 'string' && m.pattern.test(value.trim())) out[m.cssVar] = value.trim();
  }
  return out;
}

/** An EHR's style changes rarely; every chart page render would otherwise fetch it again. */
const STYLE_TTL_MS = 10 * 60_000;
const styleCache = processSingleton(
  'smart-style',
  () => new Map<string, { at: number; vars: Record<string, string> }>(),
);

export async function fetchStyle(
  styleUrl: string | undefined,
  issuer: string,
  fetchImpl: typeof fetch = fetch,
  now: number = Date.now(),
): Promise<Record<string, string>> {
  if (!styleUrl) return {};
  try {
    if (new URL(styleUrl).origin !== new URL(issuer).origin) return {};
  } catch {
    return {};
  }
  const hit = styleCache.get(styleUrl);
  if (hit && now - hit.at < STYLE_TTL_MS) return hit.vars;
  let vars: Record<string, string> = {};
  try {
    const res = await fetchImpl(styleUrl, { signal: AbortSignal.timeout(2_000), redirect: 'error' });
    if (res.ok) vars = styleVariables(await res.json());
  } catch {
    vars = {};
  }
  styleCache.set(styleUrl, { at: now, vars });
  return vars;
}
