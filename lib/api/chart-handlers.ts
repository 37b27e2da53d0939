import 'server-only';
import { z } from 'zod';
import { CHART_RANGES, type ChartRange } from '../chart/types';
import { DEFAULT_RANGE } from '../chart/widgets';
import { AppError } from '../errors';
import { jsonError } from '../http/responses';
import { isOwnPageRequest, requestId } from '../http/request';
import { refuseCrossSite, withLaunch, type RouteDeps } from './launch-guard';
import { SERVER_WIDGETS, widgetDisclosures, type ServerWidgets } from './widgets';

/**
 * The chart's data routes, one per widget in the registry (lib/api/widgets.ts):
 * each reads from the EHR (lib/fhir), maps to a chart model, and is
 * disclosed only after its audit records, one per FHIR interaction, are
 * committed (withLaunch). Ranges are
 * parsed strictly; anything else is a 400.
 */

const RangeSchema = z.enum(CHART_RANGES as [ChartRange, ...ChartRange[]]).default(DEFAULT_RANGE);

/**
 * GET /api/chart/{launchId}/{widget} as the browser asks it: only the chart's own page may. Another
 * site's page that knows a launch id could otherwise make the clinician's browser read the chart
 * (recorded as the clinician's disclosure) and keep an idle launch alive; such a request is refused
 * and recorded. The server's prefetch calls widgetRoute itself, with the chart page's headers.
 */
export function chartDataRoute(
  req: Request,
  launchId: string,
  route: string,
  deps: RouteDeps,
): Promise<Response> {
  if (!isOwnPageRequest(req)) return refuseCrossSite(req, launchId, deps);
  return widgetRoute(req, launchId, route, deps);
}

export function widgetRoute(
  req: Request,
  launchId: string,
  route: string,
  deps: RouteDeps,
  widgets: ServerWidgets = SERVER_WIDGETS,
): Promise<Response> {
  const widget = Object.values(widgets).find((w) => w.route === route);
  if (!widget) return Promise.resolve(jsonError(new AppError('not-found', 'There is no such chart route.')));
  const parsed = RangeSchema.safeParse(new URL(req.url).searchParams.get('range') ?? undefined);
  if (widget.takesRange && !parsed.success)
    return Promise.resolve(
      jsonError(new AppError('bad-request', 'The date range must be one of 1y, 5y or all.')),
    );
  const range = parsed.data ?? DEFAULT_RANGE;
  return withLaunch(req, launchId, deps, async ({ fhir, registration }) => {
    const read = await widget.read(fhir, { range, now: new Date(deps.now?.() ?? Date.now()) });
    // An EHR that answers with another patient's data is an incident at the EHR: the operators hear of it (what and
    // where only; what was left out never leaves the server).
    const mixedUp = read.warnings.filter((w) => w.kind === 'another-patient');
    if (mixedUp.length > 0)
      deps.log?.warn(
        {
          event: 'ehr-answered-another-patient',
          launchId,
          requestId: requestId(req),
          registration: registration.id,
          resourceTypes: [...new Set(mixedUp.map((w) => w.resourceType))],
        },
        'chart data',
      );
    return {
      body: {
        data: widget.map(read.result),
        warnings: read.warnings,
        fetchedAt: new Date().toISOString(),
        ...(read.period ? { period: read.period } : {}),
      },
      disclosure: widgetDisclosures(widget.disclosure(fhir, read.result), read.queries),
    };
  });
}
