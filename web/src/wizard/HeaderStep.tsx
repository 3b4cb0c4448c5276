import { useState } from 'preact/hooks';
import { api, ApiError, changedJob, type Job, type PreviewRow } from '../api';
import { ErrorText } from '../components/Alert';

interface Props {
  job: Job;
  sheet: string;
  rows: PreviewRow[];
  onBack: () => void;
  onDone: (job: Job) => void;
  /** The header row was refused because the job changed meanwhile: the job as it is now. */
  onConflict: (job: Job) => void;
}

/** The first rows of the sheet, one radio button per row; the job's header row preselected. */
export function HeaderStep({ job, sheet, rows, onBack, onDone, onConflict }: Props) {
  const sameSheet = sheet === job.sheet;
  const [headerRow, setHeaderRow] = useState(sameSheet ? job.header_row : 1);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const width = Math.max(1, ...rows.map((row) => row.cells.length));

  const submit = async (e: Event) => {
    e.preventDefault();
    if (sameSheet && headerRow === job.header_row) return onDone(job);
    setBusy(true);
    setError('');
    try {
      onDone(await api.chooseSheet(job, sheet, headerRow));
    } catch (err) {
      const now = changedJob(err);
      setBusy(false);
      if (now) return onConflict(now);
      setError(err instanceof ApiError ? err.message : 'The header row could not be set.');
    }
  };

  return (
    <form onSubmit={submit}>
      <h2 tabIndex={-1}>Which row holds the column headers?</h2>
      <p class="lead">
        Usually it is the first row. If your file starts with a title or empty rows, pick the row
        with the column names (such as “Email”).
      </p>
      {rows.length === 0 ? (
        <p class="notice">This sheet is empty.</p>
      ) : (
        <fieldset>
          <legend class="visually-hidden">Header row</legend>
          <div class="table-wrap">
            <table class="table preview-table">
              <thead>
                <tr>
                  <th scope="col">Header</th>
                  {Array.from({ length: width }, (_, i) => (
                    <th scope="col" key={i}>
                      {columnLetter(i)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.number} class={row.number === headerRow ? 'selected' : ''}>
                    <td class="radio-cell">
                      <label class="row-choice">
                        <input
                          type="radio"
                          name="header-row"
                          value={row.number}
                          checked={row.number === headerRow}
                          onChange={() => setHeaderRow(row.number)}
                        />
                        <span>Row {row.number}</span>
                      </label>
                    </td>
                    {Array.from({ length: width }, (_, i) => (
                      <td key={i} class="cell" title={row.cells[i] ?? ''}>
                        {row.cells[i] ?? ''}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </fieldset>
      )}
      <ErrorText>{error}</ErrorText>
      <div class="step-actions">
        <button type="button" class="button secondary" onClick={onBack}>
          Back
        </button>
        <button type="submit" class="button primary" disabled={busy || rows.length === 0}>
          Use row {headerRow} as header
        </button>
      </div>
    </form>
  );
}

/** 0 -> A, 25 -> Z, 26 -> AA, as a spreadsheet names its columns. */
export function columnLetter(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  }
  return name;
}
