import { render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { DocumentLang } from './document-lang';

afterEach(() => {
  document.documentElement.lang = '';
});

describe('DocumentLang', () => {
  it('puts the whole document in the page’s language, follows a switch, and gives the layout’s back', () => {
    // As the root layout writes it.
    document.documentElement.lang = 'en';
    const { rerender, unmount } = render(<DocumentLang lang="es" />);
    expect(document.documentElement.lang).toBe('es');
    rerender(<DocumentLang lang="en" />);
    expect(document.documentElement.lang).toBe('en');
    rerender(<DocumentLang lang="es" />);
    expect(document.documentElement.lang).toBe('es');
    unmount();
    expect(document.documentElement.lang).toBe('en');
  });
});
