import { afterEach } from 'vitest';
import { cleanup } from '@testing-library/react';
import { resetSignOutSignal } from '../components/session/sign-out-signal';

afterEach(() => {
  cleanup();
  // Each test is a page of its own: a sign-out heard in one holds no request of the next.
  resetSignOutSignal();
  // …and the launches a tab ended are this page's browser's, not the next one's.
  window.localStorage.clear();
});
