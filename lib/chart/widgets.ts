import type { ChartRange } from './types';

/**
 * What both halves of a chart widget agree on. The server half (lib/api/widgets.ts:
 * FHIR read, mapper, audit disclosure) and the UI half (components/chart/widgets.tsx:
 * title, component) are keyed by these ids; routes, prefetch, the view report's
 * panels and the query keys are all derived from them.
 */
export interface WidgetSpec {
  /** The panel name in view reports and audit records. */
  readonly id: string;
  /** Path segment of its route, `/api/chart/{launchId}/{route}`. */
  readonly route: string;
  /** The route takes `?range=` (1y, 5y, all) and its query key carries it. */
  readonly takesRange: boolean;
  /** The server reads it while rendering the page, so the first HTML holds it. */
  readonly prefetch: boolean;
}

export const WIDGET_SPECS = {
  banner: { id: 'banner', route: 'patient', takesRange: false, prefetch: true },
  vitals: { id: 'vitals', route: 'vitals', takesRange: true, prefetch: true },
  labs: { id: 'labs', route: 'labs', takesRange: true, prefetch: true },
  problems: { id: 'problems', route: 'problems', takesRange: false, prefetch: true },
  /** Every time smoking status was recorded, whatever the chart's range: the latest may be years old. */
  smoking: { id: 'smoking', route: 'smoking', takesRange: false, prefetch: false },
  /** Patients under 20 only; the whole record, whatever the chart's range. */
  growth: { id: 'growth', route: 'growth', takesRange: false, prefetch: false },
} as const satisfies Record<string, WidgetSpec>;

export type WidgetId = keyof typeof WIDGET_SPECS;

/** The range a chart opens with (and the one the server prefetches). */
export const DEFAULT_RANGE: ChartRange = '1y';
