'use client';

import { Component, type ErrorInfo, type ReactNode, type RefObject, useId } from 'react';
import { useTranslations } from 'next-intl';

interface BoundaryProps {
  readonly message: string;
  readonly retry: string;
  readonly children: ReactNode;
}

/** Keeps a rendering failure to one part of the patient view, in the patient's language. */
class PatientErrorBoundary extends Component<BoundaryProps, { readonly failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  override componentDidCatch(error: unknown, _info: ErrorInfo): void {
    // Only the error's name: its message could quote patient data.
    console.error('patient view part failed to render', error instanceof Error ? error.name : 'unknown');
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <div role="alert" className="flex flex-col items-start gap-2 text-sm">
        <p>{this.props.message}</p>
        <button type="button" className="btn" onClick={() => this.setState({ failed: false })}>
          {this.props.retry}
        </button>
      </div>
    );
  }
}

/**
 * A titled region of the patient view that fails on its own. Its heading takes focus after a retry inside it
 * succeeds (`headingRef`, see `useRetry`), so it can be focused from script but is no tab stop.
 */
export function PatientSection({
  title,
  headingRef,
  children,
}: {
  readonly title: string;
  readonly headingRef?: RefObject<HTMLHeadingElement | null>;
  readonly children: ReactNode;
}) {
  const t = useTranslations('patient');
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} className="widget">
      <h2
        id={headingId}
        ref={headingRef}
        tabIndex={headingRef === undefined ? undefined : -1}
        className="mb-3 text-lg font-semibold"
      >
        {title}
      </h2>
      <PatientErrorBoundary message={t('displayError')} retry={t('tryAgain')}>
        {children}
      </PatientErrorBoundary>
    </section>
  );
}
