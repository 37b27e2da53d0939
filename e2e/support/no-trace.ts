import type { Patient } from '@medplum/fhirtypes';
import { expect, type Page } from '@playwright/test';

/**
 * The page holds nothing that names the patient: not on screen, not in the
 * document's scripts (a page that moved on without loading anew keeps the
 * HTML it came with, and the chart's first data came inside it).
 */
export async function expectNoTraceOf(page: Page, patient: Patient): Promise<void> {
  const marks = [
    ...(patient.name ?? []).flatMap((n) => [n.family, ...(n.given ?? [])]),
    patient.birthDate,
    ...(patient.identifier ?? []).map((i) => i.value),
  ].filter((m): m is string => m !== undefined && m.length >= 3);
  expect(marks.length).toBeGreaterThan(1);
  const html = await page.content();
  expect(marks.filter((m) => html.includes(m))).toEqual([]);
}
