import Link from 'next/link';
import type { ReactNode } from 'react';
import { ConsoleKeepAlive, SignOutButton } from '@/components/console/session-controls';
import { requireConsoleUser } from '@/lib/console/require-user';
import { hasRole } from '@/lib/console/roles';

export const dynamic = 'force-dynamic';

/** Console frame: navigation by role. Each page checks its own role on the server as well. */
export default async function ConsoleLayout({ children }: { readonly children: ReactNode }) {
  const user = await requireConsoleUser('viewer');
  const links = [
    ...(hasRole(user.role, 'auditor')
      ? [
          { href: '/console', label: 'Search' },
          { href: '/console/disclosures', label: 'Disclosures' },
          { href: '/console/integrity', label: 'Integrity' },
          { href: '/console/alerts', label: 'Alerts' },
        ]
      : [{ href: '/console', label: 'Open servers' }]),
    ...(hasRole(user.role, 'admin') ? [{ href: '/console/users', label: 'Users' }] : []),
  ];
  return (
    <div className="min-h-screen">
      <ConsoleKeepAlive />
      <header className="border-b border-slate-200 bg-white print:hidden">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
          <span className="font-semibold">Audit console</span>
          <nav aria-label="Console">
            <ul className="flex flex-wrap gap-4 text-sm">
              {links.map((l) => (
                <li key={l.href}>
                  <Link
                    href={l.href}
                    prefetch={false}
                    className="text-blue-700 underline-offset-2 hover:underline"
                  >
                    {l.label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          <div className="ml-auto flex items-center gap-3 text-sm">
            <span>
              {user.username} <span className="text-slate-600">({user.role})</span>
            </span>
            <SignOutButton />
          </div>
        </div>
      </header>
      {user.local && !user.secondFactor && (
        <p className="mx-auto mt-4 max-w-6xl rounded-md bg-amber-50 px-4 py-2 text-sm text-amber-900 print:hidden">
          {user.username} signs in with a password alone.{' '}
          <Link href="/console/second-factor" prefetch={false} className="font-medium underline">
            Set up a second factor
          </Link>
        </p>
      )}
      <main className="mx-auto max-w-6xl px-4 py-6">{children}</main>
    </div>
  );
}
