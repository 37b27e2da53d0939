/**
 * How the console names people: a console account by its username instead of
 * `console-user/<id>`, anyone else by their name when recorded, else their
 * reference (fhirUser).
 */

/** Reference → username of console accounts (built on the server from the account file). */
export type ConsoleNames = Readonly<Record<string, string>>;

export function userLabel(ref: string, names: ConsoleNames, recordedName = ''): string {
  return names[ref] ?? (recordedName || ref || 'unknown');
}
