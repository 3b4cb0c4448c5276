import { count } from '../format';

interface Props {
  offset: number;
  limit: number;
  total: number;
  onChange: (offset: number) => void;
  /** What is paged, for the screen-reader label: "Users", "Issues". */
  label: string;
  /** While what is paged is being recomputed (the pages would be empty meanwhile). */
  disabled?: boolean;
}

/** Previous / next page buttons with "21–40 of 57". */
export function Pager({ offset, limit, total, onChange, label, disabled = false }: Props) {
  if (total <= limit && offset === 0) return null;
  const first = total === 0 ? 0 : offset + 1;
  const last = Math.min(offset + limit, total);
  return (
    <nav class="pager" aria-label={`${label} pages`}>
      <button
        type="button"
        class="button secondary"
        disabled={disabled || offset === 0}
        onClick={() => onChange(Math.max(0, offset - limit))}
      >
        Previous
      </button>
      <span aria-live="polite">
        {count(first)}–{count(last)} of {count(total)}
      </span>
      <button
        type="button"
        class="button secondary"
        disabled={disabled || offset + limit >= total}
        onClick={() => onChange(offset + limit)}
      >
        Next
      </button>
    </nav>
  );
}
