'use client';

import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  /** Widget name for the fallback message, e.g. "Vitals". */
  readonly name: string;
  readonly children: ReactNode;
}

interface State {
  readonly failed: boolean;
}

/**
 * Contains a rendering failure to one widget so the rest of the chart stays
 * usable. Logs only the error name: the message could quote patient data.
 */
export class WidgetErrorBoundary extends Component<Props, State> {
  override state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  override componentDidCatch(error: unknown, _info: ErrorInfo): void {
    console.error(
      `chart widget "${this.props.name}" failed to render`,
      error instanceof Error ? error.name : 'unknown',
    );
  }

  private readonly reset = (): void => {
    this.setState({ failed: false });
  };

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <div role="alert" className="flex flex-col items-start gap-2 text-sm">
        <p>{this.props.name} could not be displayed.</p>
        <button type="button" className="btn" onClick={this.reset}>
          Retry
        </button>
      </div>
    );
  }
}
