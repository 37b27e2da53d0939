'use client';

import { type ReactNode, useId } from 'react';
import { WidgetErrorBoundary } from './error-boundary';

interface Props {
  readonly title: string;
  /** Controls beside the heading (filters, toggles); hidden in print. */
  readonly actions?: ReactNode;
  readonly className?: string;
  readonly children: ReactNode;
}

/** A titled region of the chart whose content fails on its own. */
export function WidgetFrame({ title, actions, className, children }: Props) {
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} className={`widget ${className ?? ''}`}>
      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <h2 id={headingId} className="text-lg font-semibold">
          {title}
        </h2>
        {actions === undefined ? null : <div data-print-hide>{actions}</div>}
      </div>
      <WidgetErrorBoundary name={title}>{children}</WidgetErrorBoundary>
    </section>
  );
}
