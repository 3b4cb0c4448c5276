import { count } from '../format';

/** A definition list of labelled figures, e.g. a job's summary. */
export function Counts({ items }: { items: [string, number, string?][] }) {
  return (
    <dl class="counts">
      {items.map(([label, value, testId]) => (
        <div class="count" key={label} data-count={testId}>
          <dt>{label}</dt>
          <dd>{typeof value === 'number' ? count(value) : '—'}</dd>
        </div>
      ))}
    </dl>
  );
}
