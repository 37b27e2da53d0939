/** UCUM codes as a clinician reads them; unknown units are shown as given. */
const UNIT_LABELS: Readonly<Record<string, string>> = {
  'mm[Hg]': 'mmHg',
  Cel: '°C',
  '[degF]': '°F',
  '/min': '/min',
  '{beats}/min': '/min',
  '{breaths}/min': '/min',
  '[lb_av]': 'lb',
  '[in_i]': 'in',
  'kg/m2': 'kg/m²',
  '10*3/uL': '×10³/µL',
  '10*6/uL': '×10⁶/µL',
  '10*9/L': '×10⁹/L',
  '10*12/L': '×10¹²/L',
  ug: 'µg',
  'ug/L': 'µg/L',
  'ug/dL': 'µg/dL',
  uL: 'µL',
  '{ratio}': '',
  '1': '',
  // The value is a pH ("pH 6.5"); the row's name already says so.
  '[pH]': '',
  pH: '',
};

const SUPERSCRIPT: Readonly<Record<string, string>> = {
  '0': '⁰',
  '1': '¹',
  '2': '²',
  '3': '³',
  '4': '⁴',
  '5': '⁵',
  '6': '⁶',
  '7': '⁷',
  '8': '⁸',
  '9': '⁹',
  '-': '⁻',
};

/**
 * UCUM in human form for units not in the table: "m[IU]/L" → "mIU/L",
 * "10*9/L" → "×10⁹/L", "umol/L" → "µmol/L", "mL/min/{1.73_m2}" → "mL/min/1.73 m²", "{cells}/uL" → "cells/µL".
 * A rate per body surface is written "/1.73 m²" however the EHR spelt it: athenahealth sends "mL/min/1.73",
 * others "mL/min/1.73m2" or "mL/min/1.73 sq m".
 */
function humanUnit(unit: string): string {
  return (
    unit
      .replace(/\{1\.73_m2\}/g, '1.73 m²')
      .replace(/\/1\.73\s*(?:m2|m²|sq\.?\s?m)?$/i, '/1.73 m²')
      // A leading annotation names what is counted, and reads as it is ("{copies}/mL" → "copies/mL"); others go.
      .replace(/^\{([^{}]+)\}(?=\/)/, '$1')
      .replace(/\{[^}]*\}/g, '')
      .replace(/\[([^\]]+)\]/g, (_, inner: string) => inner.replace(/_.*$/, ''))
      .replace(/^10\*(-?\d+)/, (_, e: string) => `×10${[...e].map((c) => SUPERSCRIPT[c] ?? c).join('')}`)
      .replace(/(^|\/)u(?=(g|mol|L|IU|U|eq)\b)/g, '$1µ')
      .replace(/m2\b/g, 'm²')
  );
}

/** A UCUM code as a clinician reads it, in values, ranges, axes and tables alike. */
export function unitLabel(unit: string | undefined): string {
  if (unit === undefined) return '';
  return UNIT_LABELS[unit] ?? humanUnit(unit);
}
