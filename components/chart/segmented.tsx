'use client';

import { useId } from 'react';

interface Props<T extends string> {
  readonly legend: string;
  readonly options: readonly { readonly value: T; readonly label: string }[];
  readonly value: T;
  readonly onChange: (value: T) => void;
}

/**
 * Segmented buttons built on native radios: one tab stop, arrow keys move the
 * choice, and assistive technology announces "radio, 2 of 3, checked".
 */
export function Segmented<T extends string>({ legend, options, value, onChange }: Props<T>) {
  const name = useId();
  return (
    <fieldset className="segmented">
      <legend className="sr-only">{legend}</legend>
      {options.map((o) => (
        <label key={o.value} className="segmented-option">
          <input
            type="radio"
            name={name}
            value={o.value}
            checked={o.value === value}
            onChange={() => onChange(o.value)}
            className="sr-only"
          />
          <span>{o.label}</span>
        </label>
      ))}
    </fieldset>
  );
}
