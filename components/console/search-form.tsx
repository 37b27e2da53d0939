import type { ReactNode } from 'react';

export interface SearchValues {
  readonly patient?: string;
  readonly user?: string;
  readonly tenant?: string;
  readonly action?: string;
  readonly outcome?: string;
  readonly from?: string;
  readonly to?: string;
}

const input = 'mt-1 w-full rounded-md border border-slate-400 px-3 py-2';

function Field({
  id,
  label,
  children,
}: {
  readonly id: string;
  readonly label: string;
  readonly children: ReactNode;
}) {
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      {children}
    </div>
  );
}

/**
 * Audit search as a plain form posted to the console, which answers with the search's page: a search is still a
 * link (its patient sealed, lib/console/patient-handle.ts), and works without JavaScript.
 */
export function SearchForm({
  values,
  actions,
  tenants,
}: {
  readonly values: SearchValues;
  readonly actions: readonly string[];
  readonly tenants: readonly string[];
}) {
  return (
    <form
      method="post"
      action="/api/console/search"
      role="search"
      aria-label="Audit events"
      className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-4"
    >
      <input type="hidden" name="page" value="events" />
      <Field id="patient" label="Patient (name, birth date, MRN or FHIR reference)">
        <input
          id="patient"
          name="patient"
          defaultValue={values.patient}
          placeholder="Brennan 1980-03-04, an MRN, or https://ehr/fhir/Patient/123"
          className={input}
        />
      </Field>
      <Field id="user" label="User">
        <input
          id="user"
          name="user"
          defaultValue={values.user}
          placeholder="https://ehr/fhir/Practitioner/9"
          className={input}
        />
      </Field>
      <Field id="tenant" label="EHR">
        <select id="tenant" name="tenant" defaultValue={values.tenant ?? ''} className={input}>
          <option value="">Any</option>
          {tenants.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
      </Field>
      <Field id="action" label="Action">
        <select id="action" name="action" defaultValue={values.action ?? ''} className={input}>
          <option value="">Any</option>
          {actions.map((a) => (
            <option key={a}>{a}</option>
          ))}
        </select>
      </Field>
      <Field id="outcome" label="Outcome">
        <select id="outcome" name="outcome" defaultValue={values.outcome ?? ''} className={input}>
          <option value="">Any</option>
          <option value="0">Success</option>
          <option value="failure">Any failure</option>
          <option value="4">Minor failure</option>
          <option value="8">Serious failure</option>
          <option value="12">Major failure</option>
        </select>
      </Field>
      <Field id="from" label="From (UTC)">
        <input id="from" name="from" type="datetime-local" defaultValue={values.from} className={input} />
      </Field>
      <Field id="to" label="To (UTC)">
        <input id="to" name="to" type="datetime-local" defaultValue={values.to} className={input} />
      </Field>
      <div className="flex items-end">
        <button
          type="submit"
          className="w-full rounded-md bg-blue-700 px-4 py-2 font-medium text-white hover:bg-blue-800"
        >
          Search
        </button>
      </div>
    </form>
  );
}
