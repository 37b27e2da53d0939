'use client';

import { type KeyboardEvent, useId, useRef, useState } from 'react';

export interface DrawnReading {
  readonly id: string;
  /** Where it is drawn, in the drawing's viewBox units. */
  readonly x: number;
  readonly y: number;
  /** The exact reading, e.g. "142/91 mmHg". */
  readonly value: string;
  readonly date: string;
}

const KEY_STEP: Readonly<Record<string, number>> = {
  ArrowRight: 1,
  ArrowUp: 1,
  ArrowLeft: -1,
  ArrowDown: -1,
};

/**
 * The drawn readings of an SVG chart as focusable buttons laid over it: one tab
 * stop (the latest), arrow keys, Home and End move between them, and the exact
 * value and date show on hover and on keyboard focus alike.
 */
export function ReadingButtons({
  title,
  readings,
  width,
  height,
  onHighlight,
}: {
  readonly title: string;
  /** Oldest first. */
  readonly readings: readonly DrawnReading[];
  /** The drawing's viewBox size. */
  readonly width: number;
  readonly height: number;
  /** The reading shown in the tooltip, or undefined: the drawing may mark it. */
  readonly onHighlight?: (index: number | undefined) => void;
}) {
  const tooltipId = useId();
  const [active, setActive] = useState(readings.length - 1);
  const [shown, setShown] = useState(false);
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  const show = (i: number) => {
    setActive(i);
    setShown(true);
    onHighlight?.(i);
  };
  const hide = () => {
    setShown(false);
    onHighlight?.(undefined);
  };
  const move = (e: KeyboardEvent, i: number) => {
    const last = readings.length - 1;
    const step = KEY_STEP[e.key];
    const next = step !== undefined ? i + step : e.key === 'Home' ? 0 : e.key === 'End' ? last : undefined;
    if (next === undefined) return;
    e.preventDefault();
    const clamped = Math.min(Math.max(next, 0), last);
    setActive(clamped);
    buttons.current[clamped]?.focus();
  };
  const place = (r: DrawnReading) => ({ left: `${(r.x / width) * 100}%`, top: `${(r.y / height) * 100}%` });
  const current = readings[active];
  return (
    <>
      <div role="group" aria-label={`${title} readings (arrow keys move between readings)`}>
        {readings.map((r, i) => (
          <button
            key={r.id}
            ref={(el) => {
              buttons.current[i] = el;
            }}
            type="button"
            tabIndex={i === active ? 0 : -1}
            aria-label={`${r.value}, ${r.date}`}
            aria-describedby={shown && i === active ? tooltipId : undefined}
            className="chart-point absolute size-6 -translate-x-1/2 -translate-y-1/2 rounded-full"
            style={place(r)}
            onFocus={() => show(i)}
            onBlur={hide}
            onMouseEnter={() => show(i)}
            onMouseLeave={hide}
            onKeyDown={(e) => move(e, i)}
          />
        ))}
      </div>
      {shown && current !== undefined ? (
        <div id={tooltipId} role="tooltip" className="tooltip" style={place(current)}>
          <strong>{current.value}</strong> <span>{current.date}</span>
        </div>
      ) : null}
    </>
  );
}
