import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Bundle, Condition, Observation, Patient } from '@medplum/fhirtypes';
import { mapConditions } from './conditions';
import { mapLabs } from './labs';
import { mapVitals } from './vitals';

const dir = path.resolve(import.meta.dirname, '../..', '../shared/fixtures/synthea');
const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')) : [];

const VITAL_LOINCS = new Set([
  '85354-9',
  '55284-4',
  '8867-4',
  '9279-1',
  '8310-5',
  '8331-1',
  '59408-5',
  '2708-6',
  '29463-7',
  '8302-2',
  '8306-3',
  '39156-5',
  '9843-4',
  '8287-5',
  '72514-3',
  '38208-5',
]);
const SHOWN = new Set(['final', 'amended', 'corrected']);

/** Completed years, computed here independently of lib/chart/age.ts. */
function yearsBetween(birthDate: string, at: string): number {
  const b = new Date(`${birthDate.slice(0, 10)}T00:00:00Z`);
  const t = new Date(at);
  const had =
    t.getUTCMonth() > b.getUTCMonth() ||
    (t.getUTCMonth() === b.getUTCMonth() && t.getUTCDate() >= b.getUTCDate());
  return t.getUTCFullYear() - b.getUTCFullYear() - (had ? 0 : 1);
}

function category(o: Observation): string[] {
  return (o.category ?? []).flatMap((c) => (c.coding ?? []).map((x) => x.code ?? ''));
}

describe.skipIf(files.length === 0)(
  'mappers over the Synthea patients (needs ../shared/fixtures/synthea)',
  () => {
    it.each(files)('%s: mapped counts agree with a count over the raw Bundle', (file) => {
      const bundle = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Bundle;
      const resources = (bundle.entry ?? []).map((e) => e.resource).filter((r) => r !== undefined);
      const patient = resources.find((r): r is Patient => r.resourceType === 'Patient');
      const obs = resources.filter((r): r is Observation => r.resourceType === 'Observation');
      const conds = resources.filter((r): r is Condition => r.resourceType === 'Condition');

      const vitalObs = obs.filter((o) => category(o).includes('vital-signs'));
      const expectedVitals = vitalObs.filter(
        (o) =>
          SHOWN.has(o.status) &&
          (o.code.coding ?? []).some(
            (c) => c.system === 'http://loinc.org' && VITAL_LOINCS.has(c.code ?? ''),
          ),
      ).length;
      const vitals = mapVitals(vitalObs, { birthDate: patient?.birthDate, gender: patient?.gender });
      expect(vitals.series.reduce((n, s) => n + s.points.length, 0)).toBe(expectedVitals);
      for (const s of vitals.series) {
        const times = s.points.map((p) => Date.parse(p.time));
        expect(times).toEqual([...times].sort((a, b) => a - b));
        // No adult band for a reading taken under 18 (BMI: under 20, where the CDC charts end).
        const last = s.points.at(-1);
        const age = last && patient?.birthDate ? yearsBetween(patient.birthDate, last.time) : undefined;
        if (s.kind !== 'blood-pressure' && age !== undefined && age < (s.kind === 'bmi' ? 20 : 18))
          expect(s.bandSource ?? '').not.toMatch(/adult/i);
      }

      const labObs = obs.filter((o) => category(o).includes('laboratory'));
      const labs = mapLabs(labObs, { gender: patient?.gender, birthDate: patient?.birthDate });
      expect(labs.groups.reduce((n, g) => n + g.history.length, 0)).toBe(
        labObs.filter((o) => SHOWN.has(o.status)).length,
      );
      // Each row of answers is one question: no two answers taken at one time in a row carry different code
      // texts (Synthea sends urine appearance and odour under one code; its renamed tests, with one name at a
      // time, stay one row).
      const textOf = new Map(labObs.map((o) => [o.id, o.code.text ?? '']));
      for (const g of labs.groups) {
        const namesAt = new Map<string, Set<string | undefined>>();
        for (const r of g.history.filter((x) => x.value === undefined))
          namesAt.set(r.time, (namesAt.get(r.time) ?? new Set()).add(textOf.get(r.observationId)));
        expect(Math.max(1, ...[...namesAt.values()].map((n) => n.size)), g.label).toBe(1);
      }
      // Synthea sends no reference ranges or interpretations, so nothing may be flagged.
      expect(labs.groups.every((g) => g.history.every((r) => r.flag === undefined))).toBe(true);

      const problems = mapConditions(conds);
      // A problem still active (or without a status) recorded more than once is one row; past episodes each one.
      const rowsExpected = new Set(
        conds.map((c, i) => {
          const status = c.clinicalStatus?.coding?.[0]?.code;
          if (status !== undefined && !['active', 'recurrence', 'relapse'].includes(status))
            return `past ${i}`;
          const coding = c.code?.coding?.[0];
          return [coding?.system, coding?.code, c.code?.text ?? coding?.display, status].join('|');
        }),
      ).size;
      expect(problems.problems).toHaveLength(rowsExpected);
      expect(problems.problems.reduce((n, p) => n + (p.records ?? 1), 0)).toBe(conds.length);
      const active = problems.problems.filter((p) => p.active);
      expect(active.reduce((n, p) => n + (p.records ?? 1), 0)).toBe(
        conds.filter((c) => c.clinicalStatus?.coding?.[0]?.code === 'active').length,
      );
      expect(new Set(active.map((p) => p.label)).size).toBe(active.length);
      expect(problems.problems.slice(0, active.length).every((p) => p.active)).toBe(true);
    });
  },
);
