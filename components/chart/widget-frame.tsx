'use client';

import { type ReactNode, type RefObject, useId, useRef } from 'react';
import { WidgetErrorBoundary } from './error-boundary';
import { PanelHeadingContext } from './widget-states';

interface Props {
  readonly title: string;
  /** Controls beside the heading (filters, toggles); hidden in print. */
  readonly actions?: ReactNode;
  readonly className?: string;
  /** The heading, for a widget that retries above its frame (see `useRetry`); the frame's own by default. */
  readonly headingRef?: RefObject<HTMLHeadingElement | null>;
  readonly children: ReactNode;
}

/**
 * A titled region of the chart whose content fails on its own. Its heading takes focus after a retry inside it
 * succeeds (`useRetry`), so it can be focused from script but is no tab stop.
 */
export function WidgetFrame({ title, actions, className, headingRef, children }: Props) {
  const headingId = useId();
  const ownHeading = useRef<HTMLHeadingElement>(null);
  const heading = headingRef ?? ownHeading;
  return (
    <section aria-labelledby={headingId} className={`widget ${className ?? ''}`}>
      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <h2 id={headingId} ref={heading} tabIndex={-1} className="text-lg font-semibold">
          {title}
        </h2>
        {actions === undefined ? null : <div data-print-hide>{actions}</div>}
      </div>
      <PanelHeadingContext value={heading}>
        <WidgetErrorBoundary name={title}>{children}</WidgetErrorBoundary>
      </PanelHeadingContext>
    </section>
  );
}
