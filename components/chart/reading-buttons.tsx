'use client';

import {
  type KeyboardEvent,
  type MouseEvent,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
} from 'react';

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

/** The least room, in CSS pixels, between the tooltip and either side of the viewport. */
const EDGE = 8;

/**
 * How far to move a box that spans `left`…`right` sideways to keep it inside a viewport `room` wide, `EDGE` from
 * either side; a box wider than the room starts at its left.
 */
export function viewportShift(left: number, right: number, room: number): number {
  if (left < EDGE) return EDGE - left;
  if (right > room - EDGE) return Math.max(room - EDGE - right, EDGE - left);
  return 0;
}

const within = (el: Element | null | undefined, target: EventTarget | null): boolean =>
  el != null && target instanceof Node && el.contains(target);

/**
 * The drawn readings of an SVG chart as focusable buttons laid over it: one tab
 * stop (the latest, again whenever the readings change), arrow keys, Home and End move
 * between them, and the exact value and date show on hover and on keyboard focus alike.
 * The tooltip stays while the pointer is over the reading or the tooltip, Escape hides it
 * without moving focus, and it is moved sideways to stay inside the viewport.
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
  // Another range, or new data: the latest reading is the tab stop again (a parent's re-render with the same readings
  // is no change, so the reading a user moved to stays).
  const ids = readings.map((r) => r.id).join('\n');
  const [readingIds, setReadingIds] = useState(ids);
  if (readingIds !== ids) {
    setReadingIds(ids);
    setActive(readings.length - 1);
  }
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  const tooltip = useRef<HTMLDivElement>(null);
  const show = (i: number) => {
    setActive(i);
    setShown(true);
    onHighlight?.(i);
  };
  const hide = () => {
    setShown(false);
    onHighlight?.(undefined);
  };
  // Escape hides the tooltip wherever focus is (WCAG 1.4.13): on the reading, which keeps it, or elsewhere while the
  // pointer rests on the reading.
  useEffect(() => {
    if (!shown) return;
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      setShown(false);
      onHighlight?.(undefined);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [shown, onHighlight]);
  /** The pointer left the reading or the tooltip: hidden unless it went to the other, or the reading has focus. */
  const leave = (e: MouseEvent) => {
    const reading = buttons.current[active];
    if (within(reading, e.relatedTarget) || within(tooltip.current, e.relatedTarget)) return;
    if (reading != null && reading === document.activeElement) return;
    hide();
  };
  const move = (e: KeyboardEvent, i: number) => {
    const last = readings.length - 1;
    const step = KEY_STEP[e.key];
    const next = step !== undefined ? i + step : e.key === 'Home' ? 0 : e.key === 'End' ? last : undefined;
    if (next === undefined) return;
    e.preventDefault();
    const clamped = Math.min(Math.max(next, 0), last);
    show(clamped);
    buttons.current[clamped]?.focus();
  };
  const place = (r: DrawnReading) => ({ left: `${(r.x / width) * 100}%`, top: `${(r.y / height) * 100}%` });
  const current = shown ? readings[active] : undefined;
  // Sideways, in pixels, for the reading it was measured at: a reading near either side of a narrow screen would put
  // half the tooltip off it.
  const [shift, setShift] = useState<{ readonly id: string; readonly px: number }>();
  const px = current !== undefined && shift?.id === current.id ? shift.px : 0;
  useLayoutEffect(() => {
    const el = tooltip.current;
    if (el === null || current === undefined) return;
    const box = el.getBoundingClientRect();
    if (box.width === 0) return;
    const want = px + Math.round(viewportShift(box.left, box.right, document.documentElement.clientWidth));
    if (want !== px) setShift({ id: current.id, px: want });
  }, [current, px]);
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
            onMouseLeave={leave}
            onKeyDown={(e) => move(e, i)}
          />
        ))}
      </div>
      {current !== undefined ? (
        <div
          ref={tooltip}
          id={tooltipId}
          role="tooltip"
          className="tooltip"
          style={{ ...place(current), ...(px === 0 ? {} : { marginLeft: `${px}px` }) }}
          onMouseLeave={leave}
        >
          <strong>{current.value}</strong> <span>{current.date}</span>
        </div>
      ) : null}
    </>
  );
}
