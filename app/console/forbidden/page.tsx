import type { Metadata } from 'next';
import Link from 'next/link';

export const metadata: Metadata = { title: 'Not allowed – Audit console' };

export default function ForbiddenPage() {
  return (
    <main className="mx-auto max-w-xl px-4 py-16">
      <h1 className="text-2xl font-semibold">Not allowed</h1>
      <p className="mt-2 text-slate-700">
        Your console role does not allow this page. An administrator can change your role.
      </p>
      <p className="mt-4">
        <Link href="/console" className="text-blue-700 underline">
          Back to the console
        </Link>
      </p>
    </main>
  );
}
