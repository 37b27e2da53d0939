function hasControl(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

/**
 * A path on this app to send a browser to after a form post (a language
 * choice, a sign-out): never another site (`//host`, `/\host`, a scheme),
 * never a control character; anything else becomes `/`.
 */
export function localPath(value: unknown, appUrl: string): string {
  if (typeof value !== 'string' || !/^\/(?![/\\])/.test(value) || hasControl(value)) return '/';
  const base = new URL(appUrl);
  const url = new URL(value, base);
  // Dot segments fold away as the URL is read: `/..//host` becomes `//host`, another site once sent back.
  return url.origin === base.origin && /^\/(?![/\\])/.test(url.pathname)
    ? `${url.pathname}${url.search}`
    : '/';
}
