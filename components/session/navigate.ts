/**
 * Leaves the chart for a page loaded anew. A move within the app would keep
 * the document the chart came in, and with it the first data its HTML
 * carried (in the scripts that hand it to the page): after a sign-out
 * nothing of the patient may stay in the browser, seen or not.
 */
export function leavePage(url: string): void {
  window.location.replace(url);
}

/** Loads the page anew, for the same reason: the server then says the launch has ended. */
export function reloadPage(): void {
  window.location.reload();
}
