import { describe, expect, it } from 'vitest';
import { FHIR_ID } from './id';

describe('FHIR_ID', () => {
  it('takes the ids FHIR allows and no path step', () => {
    for (const id of ['sbx-adult-htn', 'eAB3mDIBBcyUKviyzrxsnAw3', '12724066', 'a.b', '...', 'x'.repeat(64)])
      expect(FHIR_ID.test(id), id).toBe(true);
    for (const id of ['.', '..', '', 'a/b', 'a b', '%2e%2e', 'x'.repeat(65)])
      expect(FHIR_ID.test(id), id).toBe(false);
  });
});
