import { useRef, useState } from 'preact/hooks';
import { api, ApiError, type Attribute, type Job } from '../api';
import { ErrorText } from '../components/Alert';

interface Props {
  job: Job;
  attributes: Attribute[];
  onJob: (job: Job) => void;
  onBack: () => void;
  onValidated: (job: Job) => void;
}

/**
 * Attributes on the left, the file's columns on the right. Each change is saved at once;
 * Continue validates the whole file. In delete mode only the required attributes (the
 * email) matter, the others are folded away.
 */
export function MappingStep({ job, attributes, onJob, onBack, onValidated }: Props) {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  // Changes are saved one after the other; "Check the file" waits for the last one, and reads
  // the job it answered (a click right after a change must not check the old mapping).
  const saving = useRef<Promise<void>>(Promise.resolve());
  const latest = useRef(job);
  latest.current = job;

  const isRequired = (attribute: Attribute) =>
    job.mode === 'delete' ? attribute.required_delete : attribute.required_add_update;
  const main = job.mode === 'delete' ? attributes.filter(isRequired) : attributes;
  const folded = job.mode === 'delete' ? attributes.filter((a) => !isRequired(a)) : [];

  const assign = (key: string, header: string) => {
    setErrors((all) => ({ ...all, [key]: '' }));
    setError('');
    saving.current = saving.current.then(async () => {
      try {
        latest.current = await api.map(job.id, { [key]: header === '' ? null : header });
        onJob(latest.current);
      } catch (e) {
        const message = e instanceof ApiError ? e.message : 'The column could not be assigned.';
        setErrors((all) => ({ ...all, [key]: message }));
      }
    });
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    await saving.current;
    const mapping = latest.current.mapping;
    const missing: Record<string, string> = {};
    for (const attribute of attributes) {
      if (isRequired(attribute) && !mapping[attribute.key]) {
        missing[attribute.key] = `Choose the column that holds the ${attribute.label.toLowerCase()}.`;
      }
    }
    setErrors(missing);
    if (Object.keys(missing).length > 0) {
      setBusy(false);
      document.getElementById(`map-${Object.keys(missing)[0]}`)?.focus();
      return;
    }
    setError('');
    try {
      onValidated(await api.validate(job.id));
    } catch (err) {
      if (err instanceof ApiError && err.field) {
        setErrors({ [err.field]: err.message });
      } else {
        setError(err instanceof ApiError ? err.message : 'The file could not be checked.');
      }
      setBusy(false);
    }
  };

  const row = (attribute: Attribute) => (
    <MappingRow
      key={attribute.key}
      job={job}
      attribute={attribute}
      required={isRequired(attribute)}
      error={errors[attribute.key] ?? ''}
      onAssign={assign}
    />
  );

  return (
    <form onSubmit={submit}>
      <h2 tabIndex={-1}>Which column holds what?</h2>
      <p class="lead">
        {job.mode === 'delete'
          ? 'To delete users, Roster needs only the column with the email addresses.'
          : 'Assign a column to each attribute you want to import. Attributes without a column keep their current values.'}{' '}
        Columns recognized by their header are already assigned.
      </p>
      <div class="mapping" role="group" aria-label="Column assignment">
        <div class="mapping-head" aria-hidden="true">
          <span>Attribute</span>
          <span>Column in your file</span>
        </div>
        {main.map(row)}
      </div>
      {folded.length > 0 && (
        <details class="folded">
          <summary>Other attributes (ignored when deleting)</summary>
          <div class="mapping">{folded.map(row)}</div>
        </details>
      )}
      <ErrorText>{error}</ErrorText>
      <div class="step-actions">
        <button type="button" class="button secondary" onClick={onBack}>
          Back
        </button>
        <button type="submit" class="button primary" disabled={busy}>
          {busy ? 'Checking the file…' : 'Check the file'}
        </button>
      </div>
    </form>
  );
}

interface RowProps {
  job: Job;
  attribute: Attribute;
  required: boolean;
  error: string;
  onAssign: (key: string, header: string) => void;
}

function MappingRow({ job, attribute, required, error, onAssign }: RowProps) {
  const id = `map-${attribute.key}`;
  const header = job.mapping[attribute.key] ?? '';
  const column = job.columns.find((c) => c.header === header && header !== '');
  const automatic = column?.automatic === true && column.attribute === attribute.key;
  const example = column ? exampleValue(job, column.index) : '';
  const usedBy = (columnHeader: string) =>
    Object.entries(job.mapping).find(([key, h]) => h === columnHeader && key !== attribute.key)?.[0];

  return (
    <div class={`mapping-row${error ? ' has-error' : ''}`} data-attribute={attribute.key}>
      <label for={id} class="mapping-label">
        {attribute.label}
        {required && <span class="required">required</span>}
      </label>
      <div class="mapping-value">
        <select
          id={id}
          value={header}
          aria-invalid={error ? true : undefined}
          aria-describedby={[automatic ? `${id}-auto` : '', error ? `${id}-error` : '']
            .filter(Boolean)
            .join(' ') || undefined}
          onChange={(e) => onAssign(attribute.key, e.currentTarget.value)}
        >
          <option value="">— Not assigned —</option>
          {job.columns.map((c) => {
            const other = c.header ? usedBy(c.header) : undefined;
            return (
              <option key={c.index} value={c.header} disabled={c.header === ''}>
                {c.letter}: {c.header || '(no header)'}
                {other ? ` (now used for ${other.replace(/_/g, ' ')})` : ''}
              </option>
            );
          })}
        </select>
        {automatic && (
          <span class="badge auto" id={`${id}-auto`}>
            matched automatically
          </span>
        )}
        {example && <span class="hint example">e.g. {example}</span>}
        <ErrorText id={`${id}-error`}>{error}</ErrorText>
      </div>
    </div>
  );
}

/** The first non-empty value below the header row in this column, from the preview. */
function exampleValue(job: Job, index: number): string {
  for (const row of job.preview ?? []) {
    if (row.number <= job.header_row) continue;
    const value = row.cells[index];
    if (value) return value;
  }
  return '';
}
