import type { CSSProperties } from 'react';

export type StyleVars = Readonly<Record<string, string>>;

const NAME = /^--ehr-[a-z0-9-]{1,40}$/;
/** Colours, lengths and font names; nothing that can load a resource (url(), image-set(), @import). */
const VALUE = /^[#a-zA-Z0-9 .,%()'"-]{1,100}$/;

/**
 * The EHR's `smart_style_url` values as CSS custom properties, kept only when
 * the name is one of ours (`--ehr-…`) and the value cannot fetch anything
 * (a `url(…)` would let a style document make the browser call out).
 */
export function safeStyleVars(vars: StyleVars | undefined): CSSProperties {
  const out: Record<string, string> = {};
  if (vars === undefined) return out;
  for (const [name, value] of Object.entries(vars)) {
    if (!NAME.test(name) || !VALUE.test(value) || /url\s*\(|image|expression/i.test(value)) continue;
    out[name] = value;
  }
  return out;
}
