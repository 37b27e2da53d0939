import { describe, expect, it } from 'vitest';
import { impossibleReading } from './possible';

const f = (v: number) => `${v} u`;

describe('impossibleReading', () => {
  it('finds a temperature in °F sent as °C, and leaves the extremes people survive', () => {
    expect(impossibleReading('temperature', [98.6], f)).toBe('over 47 u');
    expect(impossibleReading('temperature', [12.9], f)).toBe('below 13 u');
    expect(impossibleReading('temperature', [13.7], f)).toBeUndefined();
    expect(impossibleReading('temperature', [46.5], f)).toBeUndefined();
  });

  it('finds readings off their scale or at a zero no one can have', () => {
    expect(impossibleReading('spo2', [101], f)).toBe('over 100 u');
    expect(impossibleReading('spo2', [100], f)).toBeUndefined();
    expect(impossibleReading('pain', [11], f)).toBe('over 10 u');
    expect(impossibleReading('pain', [0], f)).toBeUndefined();
    expect(impossibleReading('weight', [0], f)).toBe('at or below 0 u');
    expect(impossibleReading('weight', [0.4], f)).toBeUndefined();
    expect(impossibleReading('weight', [7200], f)).toBe('over 650 u');
    expect(impossibleReading('height', [-3], f)).toBe('at or below 0 u');
    expect(impossibleReading('heart-rate', [0], f)).toBeUndefined();
    expect(impossibleReading('heart-rate', [601], f)).toBe('over 600 u');
    expect(impossibleReading('respiratory-rate', [-1], f)).toBe('below 0 u');
    expect(impossibleReading('respiratory-rate', [90], f)).toBeUndefined();
  });

  it('finds a unit slip on the low side: metres as centimetres, grams as kilograms', () => {
    expect(impossibleReading('height', [1.76], f)).toBe('below 20 u');
    expect(impossibleReading('height', [24], f)).toBeUndefined();
    expect(impossibleReading('weight', [0.15], f)).toBe('below 0.2 u');
    expect(impossibleReading('weight', [0.212], f)).toBeUndefined();
    expect(impossibleReading('head-circumference', [0.35], f)).toBe('below 15 u');
    expect(impossibleReading('head-circumference', [21], f)).toBeUndefined();
  });

  it('finds a blood pressure with its values swapped or past what was ever measured', () => {
    expect(impossibleReading('blood-pressure', [80, 120], f)).toBe('diastolic not below systolic (swapped?)');
    expect(impossibleReading('blood-pressure', [90, 90], f)).toBe('diastolic not below systolic (swapped?)');
    expect(impossibleReading('blood-pressure', [481, 100], f)).toBe('systolic over 480 u');
    expect(impossibleReading('blood-pressure', [0, 0], f)).toBe('a pressure at or below zero');
    expect(impossibleReading('blood-pressure', [240, 140], f)).toBeUndefined();
    expect(impossibleReading('blood-pressure', [120, undefined], f)).toBeUndefined();
  });

  it('calls a value known only as a bound impossible only where every value it stands for is', () => {
    // "< 130" may be 70: beside a systolic of 110 nothing is swapped; "> 120" beside "< 110" is.
    expect(impossibleReading('blood-pressure', [110, 130], f, [undefined, '<'])).toBeUndefined();
    expect(impossibleReading('blood-pressure', [90, 95], f, ['>', undefined])).toBeUndefined();
    expect(impossibleReading('blood-pressure', [110, 120], f, ['<', '>'])).toBe(
      'diastolic not below systolic (swapped?)',
    );
    // A device's "> 500" is past what was ever measured; "< 500" is not.
    expect(impossibleReading('blood-pressure', [500, 90], f, ['>', undefined])).toBe('systolic over 480 u');
    expect(impossibleReading('blood-pressure', [500, 90], f, ['<', undefined])).toBeUndefined();
    // A temperature "< 10" °C cannot be, "> 10" may be 37; a heart rate "< 700" may be 70, "> 700" cannot be.
    expect(impossibleReading('temperature', [10], f, ['<'])).toBe('below 13 u');
    expect(impossibleReading('temperature', [10], f, ['>'])).toBeUndefined();
    expect(impossibleReading('heart-rate', [700], f, ['<'])).toBeUndefined();
    expect(impossibleReading('heart-rate', [700], f, ['>='])).toBe('over 600 u');
    expect(impossibleReading('weight', [0], f, ['>'])).toBeUndefined();
  });
});
