import { type RefObject, useLayoutEffect, useState } from 'react';

/** Axis text size in drawing units at the default root font size (0.6875rem). */
const AXIS_FONT = 11;

/** The most the text grows: beyond it, labels would crowd a drawing this small anyway. */
const MAX_SCALE = 1.4;

/**
 * How much larger than its drawing units an SVG chart's text must be to show at the page's text size.
 * A chart drawn narrower than its drawing width (a phone at 360 px) scales its text down with it: the
 * axis and percentile labels read at 8–9 px. The text is then enlarged by the same factor, up to
 * MAX_SCALE; a chart drawn at its width or wider keeps 1.
 */
export function textScaleFor(drawingWidth: number, renderedWidth: number): number {
  if (!(renderedWidth > 0)) return 1;
  return Math.min(MAX_SCALE, Math.max(1, drawingWidth / renderedWidth));
}

/** textScaleFor the SVG as it is drawn now, following its size. */
export function useTextScale(ref: RefObject<SVGSVGElement | null>, drawingWidth: number): number {
  const [scale, setScale] = useState(1);
  useLayoutEffect(() => {
    const svg = ref.current;
    if (!svg) return;
    const update = () => {
      const next = Math.round(textScaleFor(drawingWidth, svg.getBoundingClientRect().width) * 100) / 100;
      setScale((prev) => (prev === next ? prev : next));
    };
    update();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(update);
    observer.observe(svg);
    return () => observer.disconnect();
  }, [ref, drawingWidth]);
  return scale;
}

/**
 * The chart's axis text size in drawing units as drawn now (sized in rem, so larger under text zoom, and enlarged by
 * `textScale` on a phone): the axes place their labels by it.
 */
export function useAxisFont(ref: RefObject<SVGSVGElement | null>, textScale: number): number {
  const [axisFont, setAxisFont] = useState(AXIS_FONT);
  useLayoutEffect(() => {
    const size = ref.current ? parseFloat(getComputedStyle(ref.current).fontSize) : NaN;
    if (Number.isFinite(size) && size > 0) setAxisFont(size);
  }, [ref, textScale]);
  return axisFont;
}
