import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { IntegrityAlert } from './integrity-alert';

describe('IntegrityAlert', () => {
  it('names the tenant and sequence number of the event that fails its check, and where to go', () => {
    render(<IntegrityAlert failure={{ tenant: 'sandbox-epic', seq: 41, code: 'event-unreadable' }} />);
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('The audit log fails its integrity check');
    expect(alert.textContent).toContain('tenant sandbox-epic, sequence number 41');
    expect(alert.textContent).toContain('(event-unreadable)');
    expect(screen.getByRole('link', { name: 'Open the integrity page' }).getAttribute('href')).toBe(
      '/console/integrity',
    );
  });
});
