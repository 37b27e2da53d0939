import type { ChartRange } from '@/lib/chart/types';
import type { WidgetSpec } from '@/lib/chart/widgets';

/**
 * Query keys for the chart, all scoped to one launch: two launches (two tabs,
 * two embedded EHR instances) never share a cache entry, so patients never mix.
 * A widget's key is its route, and the range when it takes one.
 */
export const chartKeys = {
  all: ['chart'] as const,
  launch: (launchId: string) => ['chart', launchId] as const,
  widget: (launchId: string, widget: WidgetSpec, range: ChartRange) =>
    widget.takesRange ? ['chart', launchId, widget.route, range] : ['chart', launchId, widget.route],
};

/** Path of a chart route; the launch id is encoded so it cannot change the path. */
export function chartUrl(launchId: string, route: string, range?: ChartRange): string {
  const base = `/api/chart/${encodeURIComponent(launchId)}/${route}`;
  return range === undefined ? base : `${base}?range=${range}`;
}

/** Path of a widget's data route. */
export function widgetUrl(launchId: string, widget: WidgetSpec, range: ChartRange): string {
  return chartUrl(launchId, widget.route, widget.takesRange ? range : undefined);
}
