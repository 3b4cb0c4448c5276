import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, changedJob, kCheckCancelled, type Attribute, type Job } from '../api';
import { ErrorText, Notice } from '../components/Alert';
import { FilePicker } from '../components/FilePicker';
import { CheckProgress, keepFocusInStep, useCheck } from './CheckProgress';

interface Props {
  job: Job;
  attributes: Attribute[];
  onJob: (job: Job) => void;
  onBack: () => void;
  /** The check ended with a plan (state `mapped` or `validated`). */
  onValidated: (job: Job) => void;
  /** A step was refused because the job changed meanwhile: the job as it is now. */
  onConflict: (job: Job) => void;
}

/**
 * Attributes on the left, the file's columns on the right. Each change is saved at once;
 * "Check the file" asks for the check of the whole file, which runs in the background: the
 * step shows its progress (also when it opens on a job being checked, after a reload) and
 * goes on once it ended. A file that cannot be read as set (found only by the check, further
 * down than the upload reads) is explained here, with a way to upload a corrected one. In
 * delete mode only the required attributes (the email) matter, the others are folded away.
 */
export function MappingStep({ job, attributes, onJob, onBack, onValidated, onConflict }: Props) {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState('');
  const [fileError, setFileError] = useState('');
  const [busy, setBusy] = useState(false);
  const check = useCheck(onJob);
  const checking = job.state === 'checking' || check.checking !== null;
  // Changes are saved one after the other; "Check the file" waits for the last one, and reads
  // the job it answered (a click right after a change must not check the old mapping).
  const saving = useRef<Promise<void>>(Promise.resolve());
  const latest = useRef(job);
  latest.current = job;
  const waiting = useRef(false);

  const isRequired = (attribute: Attribute) =>
    job.mode === 'delete' ? attribute.required_delete : attribute.required_add_update;
  const main = job.mode === 'delete' ? attributes.filter(isRequired) : attributes;
  const folded = job.mode === 'delete' ? attributes.filter((a) => !isRequired(a)) : [];

  /** True when the step was refused because the job changed: the wizard shows it as it is. */
  const conflict = (e: unknown): boolean => {
    const now = changedJob(e);
    if (!now) return false;
    latest.current = now;
    setBusy(false);
    onConflict(now);
    return true;
  };

  // Whenever the job is being checked (asked for here, or found so on opening this step),
  // follow the check to its end.
  useEffect(() => {
    if (job.state !== 'checking' || waiting.current) return;
    waiting.current = true;
    setBusy(true);
    setError('');
    check.wait(job).then(
      (done) => {
        waiting.current = false;
        if (done === null) return; // the step was left
        if (done.state === 'mapped' || done.state === 'validated') {
          onValidated(done);
          return;
        }
        // Not checked (the file cannot be read as set, the check was cancelled, or the job
        // moved on elsewhere): its error is shown below.
        setBusy(false);
        keepFocusInStep();
      },
      (e) => {
        waiting.current = false;
        setBusy(false);
        setError(e instanceof ApiError ? e.message : 'The check could not be followed.');
      },
    );
  }, [job.state, job.version]);

  const assign = (key: string, header: string) => {
    setErrors((all) => ({ ...all, [key]: '' }));
    setError('');
    saving.current = saving.current.then(async () => {
      try {
        latest.current = await api.map(latest.current, { [key]: header === '' ? null : header });
        onJob(latest.current);
      } catch (e) {
        if (conflict(e)) return;
        const message = e instanceof ApiError ? e.message : 'The column could not be assigned.';
        setErrors((all) => ({ ...all, [key]: message }));
      }
    });
  };

  /** Asks for the check; the effect above follows it. */
  const started = (next: Job) => {
    latest.current = next;
    onJob(next);
    if (next.state === 'mapped' || next.state === 'validated') onValidated(next);
    else if (next.state !== 'checking') setBusy(false);
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
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
    setFileError('');
    try {
      started(await api.validate(latest.current));
    } catch (err) {
      if (conflict(err)) return;
      if (err instanceof ApiError && err.field && err.field !== 'If-Match') {
        setErrors({ [err.field]: err.message });
      } else {
        setError(err instanceof ApiError ? err.message : 'The file could not be checked.');
      }
      setBusy(false);
    }
  };

  const replaceFile = async (file: File) => {
    if (busy) return;
    setBusy(true);
    setError('');
    setFileError('');
    await saving.current;
    try {
      started(await api.replaceFile(latest.current, file));
    } catch (err) {
      if (conflict(err)) return;
      setFileError(err instanceof ApiError ? err.message : `${file.name} could not be uploaded.`);
      setBusy(false);
    }
  };

  // The last check could not read the file as set (or was cancelled): say why, and how on.
  const notChecked = job.state === 'uploaded' && job.error !== '' && !checking;
  const cancelled = notChecked && job.error === kCheckCancelled;

  const row = (attribute: Attribute) => (
    <MappingRow
      key={attribute.key}
      job={job}
      attribute={attribute}
      required={isRequired(attribute)}
      error={errors[attribute.key] ?? ''}
      disabled={checking}
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
      {cancelled && (
        <div class="check-failed" id="check-error">
          <Notice>The check was cancelled. Check the file again when you are ready.</Notice>
        </div>
      )}
      {notChecked && !cancelled && (
        <div class="check-failed" data-testid="check-failed">
          <ErrorText id="check-error">{job.error}</ErrorText>
          <p class="hint">
            Nothing was checked, and nothing can be{' '}
            {job.mode === 'delete' ? 'deleted' : 'imported'} until it is. Check the file again, go back to choose another sheet or header row, or
            upload a corrected file.
          </p>
          <FilePicker
            id="mapping-corrected-file"
            label="Upload a corrected file"
            onFile={replaceFile}
            disabled={busy}
            describedBy={fileError ? 'mapping-corrected-file-error' : 'check-error'}
          />
        </div>
      )}
      <ErrorText id="mapping-corrected-file-error">{fileError}</ErrorText>
      <CheckProgress watch={check} />
      <ErrorText>{error}</ErrorText>
      <div class="step-actions">
        <button type="button" class="button secondary" onClick={onBack} disabled={checking}>
          Back
        </button>
        <button type="submit" class="button primary" disabled={busy || checking}>
          {busy || checking
            ? 'Checking the file…'
            : notChecked
              ? 'Check the file again'
              : 'Check the file'}
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
  disabled: boolean;
  onAssign: (key: string, header: string) => void;
}

function MappingRow({ job, attribute, required, error, disabled, onAssign }: RowProps) {
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
          disabled={disabled}
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
