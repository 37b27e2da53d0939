import type { Metadata } from 'next';
import { LocalTime } from '@/components/console/local-time';
import { CreateUserForm, UserRowActions } from '@/components/console/user-admin';
import { consoleUsers } from '@/lib/console/deps';
import { recordPageAction } from '@/lib/console/page-context';
import { requireConsoleUser } from '@/lib/console/require-user';
import { ConsoleTable } from '@/components/console/table-head';

export const metadata: Metadata = { title: 'Console accounts – Audit console' };

export const dynamic = 'force-dynamic';

/** Console accounts and roles (admin). */
export default async function UsersPage() {
  const me = await requireConsoleUser('admin', '/console/users');
  await recordPageAction({ action: 'console-view', userId: me.id, detail: 'users' });
  const users = await (await consoleUsers()).list();
  return (
    <section aria-labelledby="users-heading" className="space-y-6">
      <h1 id="users-heading" className="text-2xl font-semibold">
        Console accounts
      </h1>
      <CreateUserForm />
      <ConsoleTable
        caption="Console accounts"
        columns={['Account', 'Sign-in', 'Last sign-in', 'Status', 'Role']}
      >
        {users.map((u) => (
          <tr key={u.id} className="border-t border-slate-100">
            <th scope="row" className="px-3 py-2 font-medium">
              {u.username}
              <span className="block font-mono text-xs font-normal text-slate-600">console-user/{u.id}</span>
            </th>
            <td className="px-3 py-2">
              {u.local ? (u.secondFactor ? 'password and code' : 'password') : 'single sign-on'}
            </td>
            <td className="whitespace-nowrap px-3 py-2">
              {u.lastSignInAt ? <LocalTime iso={u.lastSignInAt} /> : 'never'}
            </td>
            <td className="px-3 py-2">
              {u.disabled ? 'disabled' : 'active'}
              {u.mustChangePassword && (
                <span className="block text-xs text-slate-600">must change password</span>
              )}
            </td>
            <td className="px-3 py-2">
              <UserRowActions user={u} self={u.id === me.id} />
            </td>
          </tr>
        ))}
      </ConsoleTable>
    </section>
  );
}
