import { describe, expect, it } from 'vitest';
import { escapeHtml, renderPage } from './html';

describe('escapeHtml', () => {
  it('escapes markup and attribute delimiters', () => {
    expect(escapeHtml(`<script>alert("x")</script>&'`)).toBe(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;',
    );
    expect(escapeHtml(42)).toBe('42');
  });

  it('escapes the page title', () => {
    expect(renderPage('<b>', '')).toContain('<title>&lt;b&gt;</title>');
  });
});
