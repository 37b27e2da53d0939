/** The header row of a console table: one column header per name. */
export function TableHead({ columns }: { readonly columns: readonly string[] }) {
  return (
    <thead className="bg-slate-100">
      <tr>
        {columns.map((h) => (
          <th key={h} scope="col" className="px-3 py-2 font-medium">
            {h}
          </th>
        ))}
      </tr>
    </thead>
  );
}
