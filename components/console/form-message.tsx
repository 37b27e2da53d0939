/** What a console form's submission did: an alert when it failed, a status line when it worked. */
export interface FormOutcome {
  readonly kind: 'ok' | 'error';
  readonly text: string;
}

export function FormMessage({ outcome }: { readonly outcome: FormOutcome | undefined }) {
  if (!outcome) return null;
  return (
    <p
      role={outcome.kind === 'error' ? 'alert' : 'status'}
      className={outcome.kind === 'error' ? 'text-red-800' : ''}
    >
      {outcome.text}
    </p>
  );
}
