import 'server-only';
import { env } from '../env';
import { observationsRoute, patientRoute, problemsRoute } from './chart-handlers';
import { routeDeps } from './deps';

export type ChartPart = 'patient' | 'vitals' | 'labs' | 'problems';

/**
 * The chart's first data, fetched while the page renders on the server so the
 * browser gets a filled chart in the HTML instead of waiting for its
 * JavaScript to ask. It goes through exactly the same audited handlers as the
 * browser's requests (session, patient, audit record before disclosure). A
 * part that fails is left out, and the browser asks for it as usual.
 */
export async function prefetchChart(
  launchId: string,
  requestHeaders: Headers,
): Promise<Partial<Record<ChartPart, unknown>>> {
  let deps: Awaited<ReturnType<typeof routeDeps>>;
  try {
    deps = await routeDeps();
  } catch {
    return {};
  }
  const base = `${env().APP_URL}/api/chart/${encodeURIComponent(launchId)}`;
  const req = (path: string) => new Request(`${base}/${path}`, { headers: requestHeaders });
  const parts: [ChartPart, Promise<Response>][] = [
    ['patient', patientRoute(req('patient'), launchId, deps)],
    ['vitals', observationsRoute(req('vitals?range=1y'), launchId, deps, 'vitals')],
    ['labs', observationsRoute(req('labs?range=1y'), launchId, deps, 'labs')],
    ['problems', problemsRoute(req('problems'), launchId, deps)],
  ];
  const out: Partial<Record<ChartPart, unknown>> = {};
  await Promise.all(
    parts.map(async ([part, pending]) => {
      const res = await pending.catch(() => undefined);
      if (res?.ok) out[part] = await res.json();
    }),
  );
  return out;
}
