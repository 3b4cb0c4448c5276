import { useState } from 'preact/hooks';
import { api, ApiError, type Job, type PreviewRow } from '../api';
import { ErrorText } from '../components/Alert';

interface Props {
  job: Job;
  sheet: string;
  onBack: () => void;
  onChosen: (sheet: string, rows: PreviewRow[]) => void;
}

/** Shown only for a workbook with several sheets; hidden sheets are marked as such. */
export function SheetStep({ job, sheet, onBack, onChosen }: Props) {
  const [chosen, setChosen] = useState(sheet || job.sheet);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  const submit = async (e: Event) => {
    e.preventDefault();
    if (chosen === job.sheet && job.preview) return onChosen(chosen, job.preview);
    setBusy(true);
    setError('');
    try {
      const preview = await api.preview(job.id, chosen);
      onChosen(chosen, preview.rows);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'The sheet could not be read.');
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit}>
      <h2 tabIndex={-1}>Which sheet holds the users?</h2>
      <p class="lead">The file has {job.sheets.length} sheets.</p>
      <fieldset class="choice-list">
        <legend class="visually-hidden">Sheet</legend>
        {job.sheets.map(({ name, visible }) => (
          <label class={`choice compact${chosen === name ? ' selected' : ''}`} key={name}>
            <input
              type="radio"
              name="sheet"
              value={name}
              checked={chosen === name}
              onChange={() => setChosen(name)}
            />
            <span class="choice-title">
              {name}
              {!visible && <span class="badge muted-badge">hidden sheet</span>}
              {name === job.sheet && <span class="badge">suggested</span>}
            </span>
          </label>
        ))}
      </fieldset>
      <ErrorText>{error}</ErrorText>
      <div class="step-actions">
        <button type="button" class="button secondary" onClick={onBack}>
          Back
        </button>
        <button type="submit" class="button primary" disabled={busy}>
          Continue
        </button>
      </div>
    </form>
  );
}
