import { labShortName } from '@/lib/chart/lab-panels';
import { plainTestKey } from '@/lib/chart/plain-language';

/**
 * A test's name in the patient's words: the plain name where there is one, with any qualifier the chart added to
 * tell two tests apart ("Hematocrit (automated count)" beside "Hematocrit"), so that two cards never read alike;
 * else the chart's name.
 */
export function patientTestName(
  t: (key: string) => string,
  loinc: string | undefined,
  chartName: string,
): string {
  const key = plainTestKey(loinc);
  if (!key) return chartName;
  const short = labShortName(loinc);
  const qualified = short !== undefined && chartName.startsWith(`${short} (`) && chartName.endsWith(')');
  return `${t(`tests.${key}.name`)}${qualified ? chartName.slice(short.length) : ''}`;
}
