import { useEffect, useRef, useState } from 'preact/hooks';
import {
  api,
  ApiError,
  changedJob,
  kCheckCancelled,
  type Issue,
  type IssueCode,
  type Job,
} from '../api';
import { ErrorText, Notice } from '../components/Alert';
import { FilePicker } from '../components/FilePicker';
import { Pager } from '../components/Pager';
import { counted } from '../format';
import { CheckProgress, keepFocusInStep, useCheck } from './CheckProgress';

const kPageSize = 20;

// One label per code the server sends (IssueCode is generated from the C++ table): a new code
// without a label fails the type check.
const kIssueNames: Record<IssueCode, string> = {
  invalid_email: 'Invalid address',
  missing_email: 'Missing address',
  duplicate_email: 'Duplicate address',
  not_found: 'Not in the user list',
  domain_not_allowed: 'Domain not allowed',
  missing_required: 'Required value missing',
  invalid_value: 'Invalid value',
  column_not_mapped: 'Column not assigned',
  cell_too_long: 'Value too long',
  own_address: 'Your own address',
};

interface Props {
  job: Job;
  onJob: (job: Job) => void;
  onBack: () => void;
  onContinue: () => void;
  /** A step was refused because the job changed meanwhile: the job as it is now. */
  onConflict: (job: Job) => void;
}

/**
 * Every issue of the file with its row, value and reason, and the ways out: correct the value
 * in place, accept the suggestion, exclude the row (or all erroneous rows), or upload a
 * corrected file. A change of one row the check found wrong is applied at once; the others
 * (all errors at once, a corrected file) queue a new check on the server, whose progress the
 * step shows. Either way the job and its issues are shown together. Continue waits for zero
 * errors.
 */
export function IssuesStep({ job, onJob, onBack, onContinue, onConflict }: Props) {
  // The issue page on screen, with the offset it was loaded for.
  const [page, setPage] = useState<{ offset: number; total: number; issues: Issue[] } | null>(
    null,
  );
  const [drafts, setDrafts] = useState<Record<number, string>>({});
  const [rowErrors, setRowErrors] = useState<Record<number, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [fileError, setFileError] = useState('');
  const [status, setStatus] = useState('');
  const running = useRef(false);
  // While a check runs the wizard gets each polled job (its version, for a cancel or a
  // reload); the checked job comes with its issues, below.
  const check = useCheck((next) => {
    if (next.state === 'checking') onJob(next);
  });
  const checking = job.state === 'checking' || check.checking !== null;
  // The figures on screen are those of the last check: a job being checked has none yet.
  const lastChecked = useRef(job);
  if (job.state === 'mapped' || job.state === 'validated') lastChecked.current = job;
  const shown = lastChecked.current;
  const disabled = busy || checking;

  /** Loads the issues from `offset`, or the last page when fixes made the list shorter. */
  const show = async (offset: number) => {
    let result = await api.issues(job.id, offset, kPageSize);
    if (result.issues.length === 0 && offset > 0 && result.total > 0) {
      offset = Math.floor((result.total - 1) / kPageSize) * kPageSize;
      result = await api.issues(job.id, offset, kPageSize);
    }
    setPage({ offset, ...result });
    setError('');
    return result.issues;
  };
  const showOrComplain = (offset: number): Promise<Issue[]> =>
    show(offset).catch((e) => {
      setError(e instanceof ApiError ? e.message : 'The errors could not be loaded.');
      return [];
    });

  useEffect(() => {
    showOrComplain(0);
  }, [job.id]);

  /** True when the step was refused because the job changed: the wizard shows it as it is. */
  const conflict = (e: unknown): boolean => {
    const now = changedJob(e);
    if (!now) return false;
    setDrafts({});
    setRowErrors({});
    onConflict(now);
    // Still on this step (errors left): its issues are those of the job as it is now.
    if (now.state === 'mapped' || now.state === 'validated') showOrComplain(page?.offset ?? 0);
    return true;
  };

  /**
   * Runs one change, waits for the check it queued (if it queued one), then shows the job and
   * its issues together, so the heading and the table never disagree.
   */
  const change = async (
    action: () => Promise<Job>,
    done: string | ((issues: Issue[]) => string),
    onError: (message: string) => void,
  ) => {
    if (running.current) return; // one change at a time (Enter in a field while one runs)
    running.current = true;
    setBusy(true);
    setStatus('');
    setError('');
    try {
      const next = await action();
      // A change of one error row is applied at once (next is checked already): its job is
      // shown below together with its issues. A change that queued a check is shown now.
      if (next.state === 'checking') onJob(next);
      const checked = await check.wait(next);
      if (checked === null) return; // the step was left
      if (checked.state === 'mapped' || checked.state === 'validated') {
        const issues = await showOrComplain(page?.offset ?? 0);
        onJob(checked);
        setStatus(typeof done === 'string' ? done : done(issues));
      } else {
        // Not checked (a corrected file that cannot be read as set, a cancelled check):
        // the step says so and offers to check again.
        onJob(checked);
      }
      keepFocusInStep();
    } catch (e) {
      if (conflict(e)) return;
      onError(e instanceof ApiError ? e.message : 'That did not work. Please try again.');
    } finally {
      running.current = false;
      setBusy(false);
    }
  };

  const rowError = (row: number) => (message: string) =>
    setRowErrors((all) => ({ ...all, [row]: message }));
  const clearRow = (row: number) => {
    setRowErrors(({ [row]: _, ...rest }) => rest);
    setDrafts(({ [row]: _, ...rest }) => rest);
  };

  const fix = (row: number, value: string) => {
    clearRow(row);
    const stillWrong = (issues: Issue[]) =>
      issues.some((issue) => issue.row === row && issue.severity === 'error');
    change(
      () => api.fix(job, row, value.trim()),
      (issues) =>
        stillWrong(issues)
          ? `Row ${row}: “${value.trim()}” is not right yet; the table says why.`
          : `Row ${row} is corrected.`,
      rowError(row),
    );
  };
  const exclude = (row: number) => {
    clearRow(row);
    change(() => api.exclude(job, row), `Row ${row} is excluded.`, rowError(row));
  };
  const include = (row: number) =>
    change(() => api.include(job, row), `Row ${row} is included again.`, setError);
  const excludeAll = () =>
    change(() => api.excludeAllErrors(job), 'All rows with errors are excluded.', setError);
  const replaceFile = (file: File) => {
    setFileError('');
    setDrafts({});
    setRowErrors({});
    change(
      () => api.replaceFile(job, file),
      `${file.name} replaces the previous file and was checked again.`,
      setFileError,
    );
  };
  const checkAgain = () =>
    change(() => api.validate(job), 'The file was checked again.', setError);

  // The last check ended without a result: the file cannot be read as set, or the check was
  // cancelled. There are no issues to show until it is checked again.
  if (job.state === 'uploaded' && !checking) {
    return (
      <div>
        <h2 tabIndex={-1}>The file was not checked</h2>
        {job.error === kCheckCancelled ? (
          <p class="notice" role="status" id="check-error">
            {job.error}
          </p>
        ) : (
          <ErrorText id="check-error">{job.error || 'The file needs to be checked again.'}</ErrorText>
        )}
        <p class="lead">
          Nothing can be {job.mode === 'delete' ? 'deleted' : 'imported'} until the file is
          checked. Check it again, upload a corrected file, or go back to the column assignment.
        </p>
        <div class="bulk-actions">
          <button type="button" class="button primary" disabled={disabled} onClick={checkAgain}>
            Check the file again
          </button>
          <FilePicker
            id="corrected-file"
            label="Upload a corrected file"
            onFile={replaceFile}
            disabled={disabled}
            describedBy={fileError ? 'corrected-file-error' : 'check-error'}
          />
        </div>
        <ErrorText id="corrected-file-error">{fileError}</ErrorText>
        <ErrorText>{error}</ErrorText>
        <div class="step-actions">
          <button type="button" class="button secondary" disabled={disabled} onClick={onBack}>
            Back
          </button>
        </div>
      </div>
    );
  }

  const errors = shown.counts.errors;
  const excluded = [...job.excluded].sort((a, b) => a - b);
  const canContinue = errors === 0 && job.state === 'validated' && !disabled;

  return (
    <div>
      <h2 tabIndex={-1}>
        {errors > 0 ? `Fix ${counted(errors, 'error')}` : 'All errors are resolved'}
      </h2>
      <p class="lead" data-testid="issue-summary">
        {errors > 0
          ? `Nothing is ${job.mode === 'delete' ? 'deleted' : 'changed'} while an error is left. Correct a value, use a suggestion, exclude the row, or upload a corrected file.`
          : 'You can go on to the summary.'}
        {shown.counts.warnings > 0 &&
          ` ${counted(shown.counts.warnings, 'warning')} ${shown.counts.warnings === 1 ? 'needs' : 'need'} no action${
            job.mode === 'delete' ? ' (a user listed twice is deleted once)' : ''
          }.`}
      </p>

      <div class="bulk-actions">
        <button
          type="button"
          class="button secondary"
          disabled={disabled || errors === 0}
          onClick={excludeAll}
        >
          Exclude all erroneous rows
        </button>
        <FilePicker
          id="corrected-file"
          label="Upload a corrected file"
          onFile={replaceFile}
          disabled={disabled}
          describedBy={fileError ? 'corrected-file-error' : undefined}
        />
      </div>
      <ErrorText id="corrected-file-error">{fileError}</ErrorText>
      <CheckProgress watch={check} />
      {status && !checking && <Notice>{status}</Notice>}
      <ErrorText>{error}</ErrorText>

      <div class="table-wrap" aria-busy={checking ? true : undefined}>
        <table class="table issues-table">
          <thead>
            <tr>
              <th scope="col">Row</th>
              <th scope="col">Value in the file</th>
              <th scope="col">Problem</th>
              <th scope="col">Fix</th>
            </tr>
          </thead>
          <tbody>
            {page?.issues.map((issue) => {
              const isExcluded = job.excluded.includes(issue.row);
              const draft = drafts[issue.row] ?? job.fixes[String(issue.row)] ?? issue.value;
              const inputId = `fix-${issue.row}-${issue.code}`;
              return (
                <tr
                  key={`${issue.row}-${issue.code}-${issue.column}`}
                  data-row={issue.row}
                  class={`${issue.severity}${isExcluded ? ' excluded' : ''}`}
                >
                  <td class="nowrap">
                    <strong>{issue.row > 0 ? issue.row : 'All'}</strong>
                    {issue.column && <span class="hint block">{issue.column}</span>}
                  </td>
                  <td class="value-cell">
                    {issue.value === '' ? <span class="muted">(empty)</span> : issue.value}
                  </td>
                  <td class="problem-cell">
                    <span class={`badge ${issue.severity === 'error' ? 'error' : 'warning'}`}>
                      {issue.severity === 'error' ? 'Error' : 'Warning'}
                    </span>{' '}
                    <strong>{kIssueNames[issue.code] ?? issue.code}</strong>
                    <span class="block">{issue.message}</span>
                  </td>
                  <td class="fix-cell">
                    {issue.code === 'column_not_mapped' || issue.row === 0 ? (
                      <button
                        type="button"
                        class="button secondary small"
                        disabled={disabled}
                        onClick={onBack}
                      >
                        Assign the column
                      </button>
                    ) : isExcluded ? (
                      <div class="fix-actions">
                        <span class="badge muted-badge">Excluded</span>
                        <button
                          type="button"
                          class="button secondary small"
                          disabled={disabled}
                          onClick={() => include(issue.row)}
                        >
                          Include again
                        </button>
                      </div>
                    ) : issue.severity === 'error' ? (
                      <form
                        class="fix-form"
                        onSubmit={(e) => {
                          e.preventDefault();
                          fix(issue.row, draft);
                        }}
                      >
                        <label for={inputId} class="visually-hidden">
                          Corrected value for row {issue.row}
                        </label>
                        <div class="fix-edit">
                          <input
                            id={inputId}
                            type="text"
                            value={draft}
                            aria-invalid={rowErrors[issue.row] ? true : undefined}
                            aria-describedby={rowErrors[issue.row] ? `${inputId}-error` : undefined}
                            onInput={(e) => {
                              const value = e.currentTarget.value;
                              setDrafts((all) => ({ ...all, [issue.row]: value }));
                            }}
                          />
                          <button type="submit" class="button primary small" disabled={disabled}>
                            Save
                          </button>
                        </div>
                        <div class="fix-actions">
                          {issue.suggestion && (
                            <button
                              type="button"
                              class="button secondary small"
                              disabled={disabled}
                              onClick={() => fix(issue.row, issue.suggestion!)}
                            >
                              Use suggestion: {issue.suggestion}
                            </button>
                          )}
                          <button
                            type="button"
                            class="button secondary small"
                            disabled={disabled}
                            onClick={() => exclude(issue.row)}
                          >
                            Exclude row
                          </button>
                        </div>
                        <ErrorText id={`${inputId}-error`}>{rowErrors[issue.row]}</ErrorText>
                      </form>
                    ) : (
                      <span class="muted">No action needed</span>
                    )}
                  </td>
                </tr>
              );
            })}
            {!page && (
              <tr>
                <td colSpan={4} class="empty" role="status">
                  Loading the errors…
                </td>
              </tr>
            )}
            {page && page.issues.length === 0 && (
              <tr>
                <td colSpan={4} class="empty">
                  No issues left.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {page && (
        <Pager
          label="Issues"
          offset={page.offset}
          limit={kPageSize}
          total={page.total}
          onChange={showOrComplain}
          disabled={disabled}
        />
      )}

      {excluded.length > 0 && (
        <div class="excluded-rows">
          <h3>Excluded rows</h3>
          <ul class="chip-list">
            {excluded.map((row) => (
              <li key={row} class="chip">
                Row {row}
                <button
                  type="button"
                  class="link-button"
                  disabled={disabled}
                  onClick={() => include(row)}
                  aria-label={`Include row ${row} again`}
                >
                  Include again
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}

      <div class="step-actions">
        <button type="button" class="button secondary" disabled={disabled} onClick={onBack}>
          Back
        </button>
        <button type="button" class="button primary" disabled={!canContinue} onClick={onContinue}>
          Continue to the summary
        </button>
      </div>
      {errors > 0 && (
        <p class="hint right">Fix or exclude every error to continue.</p>
      )}
    </div>
  );
}
