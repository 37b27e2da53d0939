import { readFileSync } from 'node:fs';

interface Row {
  heightCm: number[];
  systolic: number[];
  diastolic: number[];
  systolic95: number[];
  diastolic95: number[];
}

/** The shipped AAP 2017 percentile rows, read as data (the chart's own lookup is not used to check it). */
const aap = JSON.parse(readFileSync('lib/chart/blood-pressure/aap-2017.json', 'utf8')) as {
  tables: Record<'male' | 'female', Record<string, Row>>;
};

/**
 * The limits a test expects for a child's blood pressure, by the guideline's own rule: the row
 * for the completed year of age, the column whose height is nearest the measured height (the
 * 5th-height column, the screening table, without one), capped at 120/80; and stage 2 from the 95th
 * percentile + 12 mm Hg, capped at 140/90.
 */
export function expectedChildBpLimits(
  sex: 'male' | 'female',
  years: number,
  heightCm: number | undefined,
): {
  systolic: number;
  diastolic: number;
  stage2: { systolic: number; diastolic: number; guideline: 'AAP 2017' };
} {
  const row = aap.tables[sex][String(years)];
  if (!row) throw new Error(`no AAP row for ${sex} of ${years}`);
  const distances = row.heightCm.map((h) => (heightCm === undefined ? 0 : Math.abs(h - heightCm)));
  const column = distances.indexOf(Math.min(...distances));
  return {
    systolic: Math.min(120, row.systolic[column]!),
    diastolic: Math.min(80, row.diastolic[column]!),
    stage2: {
      systolic: Math.min(140, row.systolic95[column]! + 12),
      diastolic: Math.min(90, row.diastolic95[column]! + 12),
      guideline: 'AAP 2017',
    },
  };
}
