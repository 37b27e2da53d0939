import { describe, expect, it } from 'vitest';
import { anchorInside, calendarTicks, keepApart, type PlacedTick } from './time-ticks';

const t = (iso: string): number => Date.parse(iso);
const CHAR = 6.6;
/** The trend chart's axis (320-unit drawing, 40 left and 14 right margin), a narrow one and a wide one. */
const AXIS = { chart: [40, 306], narrow: [40, 160], wide: [40, 640] } as const;
const ticks = (a: string, b: string, range: readonly [number, number] = AXIS.chart) =>
  calendarTicks([t(a), t(b)], { range, charWidth: CHAR });
const labels = (a: string, b: string, range?: readonly [number, number]) =>
  ticks(a, b, range).map((x) => x.label);

/** Each label's ends, worked out here from its anchor and length. */
function ends(tick: PlacedTick): [number, number] {
  const w = tick.label.length * CHAR;
  if (tick.anchor === 'start') return [tick.x, tick.x + w];
  if (tick.anchor === 'end') return [tick.x - w, tick.x];
  return [tick.x - w / 2, tick.x + w / 2];
}

function expectLegible(placed: readonly PlacedTick[], [x0, x1]: readonly [number, number]) {
  expect(placed.length).toBeGreaterThan(0);
  expect(new Set(placed.map((p) => p.label)).size).toBe(placed.length);
  for (const p of placed) {
    const [l, r] = ends(p);
    expect(l).toBeGreaterThanOrEqual(x0 - 1e-9);
    expect(r).toBeLessThanOrEqual(x1 + 1e-9);
  }
  for (let i = 1; i < placed.length; i++) {
    const gap = ends(placed[i] as PlacedTick)[0] - ends(placed[i - 1] as PlacedTick)[1];
    expect(gap).toBeGreaterThanOrEqual(CHAR);
  }
}

describe('calendarTicks', () => {
  it('chooses the interval by span, on calendar boundaries', () => {
    expect(labels('2026-11-01T10:00:00Z', '2026-11-04T09:00:00Z')).toEqual(['Nov 2, 2026', 'Nov 3', 'Nov 4']);
    expect(labels('2026-01-15', '2026-12-20')).toEqual(['Apr 2026', 'Jul 2026', 'Oct 2026']);
    expect(labels('1960-05-01', '2026-11-30')).toEqual(['1970', '1980', '1990', '2000', '2010', '2020']);
    expect(ticks('2026-01-15', '2026-12-20')[0]?.time).toBe(t('2026-04-01'));
  });

  it('never repeats a label: a span inside one month gets days or weeks, not "Nov 2026" three times', () => {
    for (const [a, b] of [
      ['2026-11-03', '2026-11-25'],
      ['2026-05-01', '2026-05-02'],
      ['2026-05-10T08:00:00Z', '2026-05-10T20:00:00Z'],
      ['2020-01-01', '2026-11-30'],
    ] as const) {
      const l = labels(a, b);
      expect(new Set(l).size).toBe(l.length);
    }
    expect(labels('2026-11-03', '2026-11-25')).toEqual(['Nov 9, 2026', 'Nov 16', 'Nov 23']);
    expect(labels('2026-05-10T08:00:00Z', '2026-05-10T20:00:00Z')).toEqual(['May 10, 2026']);
  });

  it('takes fewer, coarser ticks on a narrow axis, and no two labels ever overlap', () => {
    const spans = {
      week: ['2026-11-23T08:00:00Z', '2026-11-30T17:00:00Z'],
      year: ['2025-12-01', '2026-11-30'],
      decade: ['2016-12-01', '2026-11-30'],
    } as const;
    for (const [a, b] of Object.values(spans)) {
      const narrow = ticks(a, b, AXIS.narrow);
      const wide = ticks(a, b, AXIS.wide);
      expectLegible(narrow, AXIS.narrow);
      expectLegible(ticks(a, b), AXIS.chart);
      expectLegible(wide, AXIS.wide);
      expect(narrow.length).toBeLessThan(wide.length);
    }
    // Too narrow for every other day: the week's Monday.
    expect(labels(...spans.week, AXIS.narrow)).toEqual(['Nov 30, 2026']);
    expect(labels(...spans.week, AXIS.wide)).toEqual([
      'Nov 24, 2026',
      'Nov 25',
      'Nov 26',
      'Nov 27',
      'Nov 28',
      'Nov 29',
      'Nov 30',
    ]);
    expect(labels(...spans.year, AXIS.narrow)).toEqual(['2026']);
    expect(labels(...spans.year, AXIS.wide)).toEqual(['Jan 2026', 'Apr 2026', 'Jul 2026', 'Oct 2026']);
    expect(labels(...spans.decade, AXIS.narrow)).toEqual(['2020', '2025']);
    expect(labels(...spans.decade, AXIS.wide)).toHaveLength(10);
  });

  it('keeps "Jan 2026" clear of "Apr 2026" when the first tick falls near the left end', () => {
    // Anchored inward at the left end, "Jan 2026" used to run into a centred "Apr 2026".
    const placed = ticks('2025-12-20', '2026-12-01');
    expectLegible(placed, AXIS.chart);
    expect(placed[0]?.label).toBe('Jan 2026');
  });

  it('gives no ticks for an empty span', () => {
    expect(calendarTicks([5, 5], { range: [0, 100], charWidth: CHAR })).toEqual([]);
  });
});

describe('calendarTicks in a time zone', () => {
  const zoned = (a: string, b: string, zone: string) =>
    calendarTicks([t(a), t(b)], { range: AXIS.chart, charWidth: CHAR }, zone);

  it("puts each tick at midnight or the first of the month on the zone's clock", () => {
    // Three days in Honolulu (UTC−10): the day ticks are at 10:00 UTC.
    const days = zoned('2026-11-01T20:00:00Z', '2026-11-04T19:00:00Z', 'Pacific/Honolulu');
    expect(days.map((d) => d.label)).toEqual(['Nov 2, 2026', 'Nov 3', 'Nov 4']);
    expect(days.map((d) => new Date(d.time).toISOString())).toEqual([
      '2026-11-02T10:00:00.000Z',
      '2026-11-03T10:00:00.000Z',
      '2026-11-04T10:00:00.000Z',
    ]);
    const months = zoned('2026-01-15', '2026-12-20', 'America/New_York');
    expect(months.map((m) => m.label)).toEqual(['Apr 2026', 'Jul 2026', 'Oct 2026']);
    // Summer time in New York: UTC−4.
    expect(new Date(months[0]!.time).toISOString()).toBe('2026-04-01T04:00:00.000Z');
  });

  it('labels a reading late in the evening with its own day, not the next day in UTC', () => {
    // 22:30 on Mar 31 in New York is 02:30 on Apr 1 in UTC.
    const evening = t('2026-04-01T02:30:00Z');
    const span = ['2026-03-30T12:00:00Z', '2026-04-02T12:00:00Z'] as const;
    const inZone = zoned(...span, 'America/New_York');
    expect(inZone.map((d) => d.label)).toEqual(['Mar 31, 2026', 'Apr 1', 'Apr 2']);
    const dayOf = (placed: readonly PlacedTick[]) => placed.filter((d) => d.time <= evening).at(-1)?.label;
    expect(dayOf(inZone)).toBe('Mar 31, 2026');
    expect(dayOf(ticks(...span))).toBe('Apr 1');
  });

  it('names the year of an axis of days on its first day and where the year changes', () => {
    // Results from years ago read as theirs, not this year's.
    expect(labels('2021-03-20', '2021-04-02')).toEqual(['Mar 22, 2021', 'Mar 29']);
    expect(labels('2020-12-28T12:00:00Z', '2021-01-02T12:00:00Z', AXIS.wide)).toEqual([
      'Dec 29, 2020',
      'Dec 30',
      'Dec 31',
      'Jan 1, 2021',
      'Jan 2',
    ]);
  });

  it("names the year on the last day when the first day's label leaves no room for the next", () => {
    // A newborn's first three weeks: with the year on Nov 16 only one label fitted ("Nov 23, 2026").
    const newborn = ticks('2026-11-15T11:00:00Z', '2026-12-05T10:51:00Z');
    expect(newborn.map((x) => x.label)).toEqual(['Nov 16', 'Nov 23', 'Nov 30, 2026']);
    expectLegible(newborn, AXIS.chart);
    // Where the first day's year fits, it stays there.
    expect(labels('2026-11-03', '2026-11-25')).toEqual(['Nov 9, 2026', 'Nov 16', 'Nov 23']);
    expect(labels('2025-12-14T11:00:00Z', '2026-01-03T10:00:00Z')).toEqual([
      'Dec 15',
      'Dec 22',
      'Dec 29, 2025',
    ]);
    // Days of two years never take one year named at the end ("Jan 5, 2026" would leave "Dec 22" to read as 2026);
    // the first day, crowded at its end, is left out instead, and each year is named where it starts.
    expect(labels('2025-12-20T11:00:00Z', '2026-01-09T10:00:00Z')).toEqual(['Dec 29, 2025', 'Jan 5, 2026']);
  });

  it('leaves out a label crowding an end of the axis rather than keep one label alone', () => {
    // A deceased patient's last year of readings, mid-January to October, on a phone: quarters put "Oct 1984" against
    // the end, where it crowds "Jul 1984"; half-years leave "Jul 1984" alone, which says nothing of the axis's length.
    const narrowed: readonly [number, number] = [40, 306];
    const charWidth = 7.4;
    const placed = calendarTicks([t('1984-01-16T22:39:00Z'), t('1984-10-08T22:39:00Z')], {
      range: narrowed,
      charWidth,
    });
    expect(placed.map((p) => p.label)).toEqual(['Apr 1984', 'Jul 1984']);
    expect(placed[1]!.x - placed[0]!.x).toBeGreaterThan(8 * charWidth + charWidth);
    // Where every label of an interval fits, none is left out.
    expect(labels('2026-01-15', '2026-12-20')).toEqual(['Apr 2026', 'Jul 2026', 'Oct 2026']);
  });

  it('is the UTC calendar for UTC', () => {
    expect(zoned('2026-11-01T10:00:00Z', '2026-11-04T09:00:00Z', 'UTC')).toEqual(
      ticks('2026-11-01T10:00:00Z', '2026-11-04T09:00:00Z'),
    );
  });
});

describe('anchorInside', () => {
  it('centres a label unless it would cross an end of the axis', () => {
    expect(anchorInside(40, 26, [40, 334])).toBe('start');
    expect(anchorInside(50, 26, [40, 334])).toBe('start');
    expect(anchorInside(53, 26, [40, 334])).toBe('middle');
    expect(anchorInside(200, 26, [40, 334])).toBe('middle');
    expect(anchorInside(330, 26, [40, 334])).toBe('end');
  });
});

describe('keepApart', () => {
  it('keeps a label only when it leaves the last one kept a character of room', () => {
    const tick = (label: string, x: number, anchor: PlacedTick['anchor'] = 'middle'): PlacedTick => ({
      time: x,
      label,
      x,
      anchor,
    });
    // A growth chart's ages at 360 px: "0 mo" anchored at the start runs into "12 mo".
    const kept = keepApart(
      [tick('0 mo', 40, 'start'), tick('12 mo', 92), tick('2 y', 144), tick('3 y', 196)],
      9.2,
    );
    expect(kept.map((t) => t.label)).toEqual(['0 mo', '2 y', '3 y']);
    expectLegible(kept, [40, 334]);
    expect(keepApart([tick('0 mo', 40, 'start'), tick('12 mo', 140)], 6.6).map((t) => t.label)).toEqual([
      '0 mo',
      '12 mo',
    ]);
  });
});
