import 'server-only';
import type { ChartRange } from '../chart/types';
import { DEFAULT_RANGE, type WidgetSpec } from '../chart/widgets';
import { widgetRoute } from './chart-handlers';
import { routeDeps } from './deps';
import type { RouteDeps } from './launch-guard';
import { SERVER_WIDGETS, type ServerWidgets } from './widgets';

export interface Prefetched {
  readonly widget: WidgetSpec;
  /** The range the data was read for, when the widget takes one. */
  readonly range: ChartRange;
  readonly body: unknown;
}

/**
 * The chart's first data, fetched while the page renders on the server so the
 * browser gets a filled chart in the HTML instead of waiting for its
 * JavaScript to ask. Every widget declared with `prefetch` goes through exactly
 * the same audited handler as the browser's requests (session, patient, audit
 * record before disclosure). A widget that fails is left out, and the browser
 * asks for it as usual.
 */
export async function prefetchChart(
  launchId: string,
  requestHeaders: Headers,
  widgets: ServerWidgets = SERVER_WIDGETS,
  deps?: RouteDeps,
): Promise<Prefetched[]> {
  try {
    deps ??= await routeDeps();
  } catch {
    return [];
  }
  const base = `${deps.env.APP_URL}/api/chart/${encodeURIComponent(launchId)}`;
  const read = async (widget: WidgetSpec): Promise<Prefetched | undefined> => {
    const query = widget.takesRange ? `?range=${DEFAULT_RANGE}` : '';
    const req = new Request(`${base}/${widget.route}${query}`, { headers: requestHeaders });
    const res = await widgetRoute(req, launchId, widget.route, deps, widgets).catch(() => undefined);
    return res?.ok ? { widget, range: DEFAULT_RANGE, body: await res.json() } : undefined;
  };
  const all = await Promise.all(
    Object.values(widgets)
      .filter((w) => w.prefetch)
      .map(read),
  );
  return all.filter((p) => p !== undefined);
}
