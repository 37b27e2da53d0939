import { describe, expect, it } from 'vitest';
import {
  blindIndexKey,
  blindToken,
  identityMatches,
  identityTerms,
  nameTokens,
  queryTerms,
} from './blind-index';
import { generateAuditKeys } from './crypto';

describe('patient finder terms', () => {
  it('folds case, accents and punctuation out of names', () => {
    expect(nameTokens("Zoë O'Brien-Núñez")).toEqual(['zoe', 'obrien', 'nunez']);
    expect(nameTokens('BRENNAN,  Sam')).toEqual(['brennan', 'sam']);
    expect(nameTokens('Søren Weiß Łukasz')).toEqual(['soren', 'weiss', 'lukasz']);
    expect(nameTokens('O’Connor')).toEqual(nameTokens("o'connor"));
    expect(nameTokens(' -- ')).toEqual([]);
  });

  it('indexes name tokens, the birth date, the MRN value and system|value', () => {
    expect(
      identityTerms({
        name: 'Brennan, Sam',
        birthDate: '1980-03-04',
        mrn: { system: 'urn:oid:1.2.3', value: ' sbx0100001 ' },
      }),
    ).toEqual([
      { kind: 'name', value: 'brennan' },
      { kind: 'name', value: 'sam' },
      { kind: 'birth', value: '1980-03-04' },
      { kind: 'mrn-value', value: 'SBX0100001' },
      { kind: 'mrn', value: 'urn:oid:1.2.3|SBX0100001' },
    ]);
    expect(identityTerms({ mrn: { value: 'A1' } })).toEqual([{ kind: 'mrn-value', value: 'A1' }]);
  });

  it('reads what an officer types: words, a date, an MRN, system|MRN', () => {
    expect(queryTerms('  brennan 1980-03-04 ')).toEqual([
      { kind: 'name', value: 'brennan' },
      { kind: 'birth', value: '1980-03-04' },
    ]);
    expect(queryTerms('sbx0100001')).toEqual([{ kind: 'mrn-value', value: 'SBX0100001' }]);
    expect(queryTerms('urn:oid:1.2.3|sbx0100001')).toEqual([
      { kind: 'mrn', value: 'urn:oid:1.2.3|SBX0100001' },
    ]);
    expect(queryTerms('Brennan, BRENNAN')).toEqual([{ kind: 'name', value: 'brennan' }]);
    expect(queryTerms(" ' , ")).toEqual([]);
  });

  it('matches an identity only when it has every term of the search', () => {
    const who = { name: 'Brennan, Sam', birthDate: '1980-03-04', mrn: { value: 'SBX1' } };
    expect(identityMatches(who, queryTerms('BRENNAN'))).toBe(true);
    expect(identityMatches(who, queryTerms('brennan 1980-03-04 sbx1'))).toBe(true);
    expect(identityMatches(who, queryTerms('brennan 1980-03-05'))).toBe(false);
    expect(identityMatches(who, queryTerms('brenna'))).toBe(false);
  });

  it('makes keyed tokens: the same term gives the same token under one key, another under another', () => {
    const a = blindIndexKey(generateAuditKeys().hmacKey);
    const b = blindIndexKey(generateAuditKeys().hmacKey);
    const term = { kind: 'name', value: 'brennan' } as const;
    expect(blindToken(a, term)).toMatch(/^[0-9a-f]{64}$/);
    expect(blindToken(a, term)).toBe(blindToken(a, { ...term }));
    expect(blindToken(b, term)).not.toBe(blindToken(a, term));
    // The kind is part of the token: an MRN "1980" is not a name or date "1980".
    expect(blindToken(a, { kind: 'mrn-value', value: 'X' })).not.toBe(
      blindToken(a, { kind: 'name', value: 'X' }),
    );
  });
});
