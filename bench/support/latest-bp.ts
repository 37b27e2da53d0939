/**
 * Whether the chart's latest blood pressure is the newest one the EHR holds,
 * for every personality and range, with the time each vitals request took.
 */
import type { Bundle, Observation } from '@medplum/fhirtypes';
import { followRedirects, type Stack } from './stack';

const PERSONALITIES = ['generic', 'epic', 'cerner', 'athena', 'nextgen'] as const;
const RANGES = ['1y', '5y', 'all'] as const;

interface VitalsBody {
  readonly data: { readonly series: readonly { kind: string; points: readonly { time: string }[] }[] };
}

async function newestBpTime(stack: Stack, patient: string): Promise<string | undefined> {
  const url = `${stack.sandboxUrl}/open/fhir/Observation?patient=${patient}&code=85354-9&_sort=-date&_count=1`;
  const bundle = (await (await fetch(url)).json()) as Bundle<Observation>;
  return bundle.entry?.[0]?.resource?.effectiveDateTime;
}

export async function latestBpReport(stack: Stack, patient: string): Promise<void> {
  const truth = await newestBpTime(stack, patient);
  console.log(`newest blood pressure in the data: ${truth ?? 'none'}`);
  let right = 0;
  let total = 0;
  for (const personality of PERSONALITIES) {
    const launch = `${stack.sandboxUrl}/launch/ehr?practitioner=sbx-dr-lee&patient=${patient}&personality=${personality}&frame=0`;
    const { url, jar } = await followRedirects(launch, (u) => u.pathname.startsWith('/chart/'));
    const launchId = url.pathname.split('/').pop()!;
    const cookie = [...(jar.get(new URL(stack.appUrl).origin) ?? new Map<string, string>())]
      .map(([k, v]) => `${k}=${v}`)
      .join('; ');
    for (const range of RANGES) {
      const t0 = performance.now();
      const res = await fetch(`${stack.appUrl}/api/chart/${launchId}/vitals?range=${range}`, {
        headers: { cookie },
      });
      const ms = performance.now() - t0;
      const body = (await res.json()) as VitalsBody;
      const bp = body.data?.series.find((s) => s.kind === 'blood-pressure');
      const latest = bp?.points.at(-1)?.time;
      const ok = latest !== undefined && truth !== undefined && Date.parse(latest) === Date.parse(truth);
      total++;
      if (ok) right++;
      console.log(
        `  ${personality.padEnd(8)} ${range.padEnd(3)} HTTP ${res.status} ${ms.toFixed(0).padStart(6)} ms  latest BP ${latest ?? 'none'} ${ok ? 'right' : 'WRONG'}`,
      );
    }
  }
  console.log(`latest blood pressure right in ${right} of ${total} personality × range cases`);
}
