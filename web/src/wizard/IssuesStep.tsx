import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, type Issue, type Job } from '../api';
import { ErrorText, Notice } from '../components/Alert';
import { FilePicker } from '../components/FilePicker';
import { Pager } from '../components/Pager';
import { counted } from '../format';

const kPageSize = 20;

const kIssueNames: Record<string, string> = {
  invalid_email: 'Invalid address',
  missing_email: 'Missing address',
  duplicate_email: 'Duplicate address',
  not_found: 'Not in the user list',
  domain_not_allowed: 'Domain not allowed',
  missing_required: 'Required value missing',
  invalid_value: 'Invalid value',
  column_not_mapped: 'Column not assigned',
  cell_too_long: 'Value too long',
};

interface Props {
  job: Job;
  onJob: (job: Job) => void;
  onBack: () => void;
  onContinue: () => void;
}

/**
 * Every issue of the file with its row, value and reason, and the ways out: correct the value
 * in place, accept the suggestion, exclude the row (or all erroneous rows), or upload a
 * corrected file. Each of them re-validates on the server; Continue waits for zero errors.
 */
export function IssuesStep({ job, onJob, onBack, onContinue }: Props) {
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

  /**
   * Runs one change, then shows the job and its issues together (the server has checked the
   * file again by then), so the heading and the table never disagree.
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
    try {
      const next = await action();
      const issues = await showOrComplain(page?.offset ?? 0);
      onJob(next);
      setStatus(typeof done === 'string' ? done : done(issues));
    } catch (e) {
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
      () => api.fix(job.id, row, value.trim()),
      (issues) =>
        stillWrong(issues)
          ? `Row ${row}: “${value.trim()}” is not right yet; the table says why.`
          : `Row ${row} is corrected.`,
      rowError(row),
    );
  };
  const exclude = (row: number) => {
    clearRow(row);
    change(() => api.exclude(job.id, row), `Row ${row} is excluded.`, rowError(row));
  };
  const include = (row: number) =>
    change(() => api.include(job.id, row), `Row ${row} is included again.`, setError);
  const excludeAll = () =>
    change(() => api.excludeAllErrors(job.id), 'All rows with errors are excluded.', setError);
  const replaceFile = (file: File) => {
    setFileError('');
    setDrafts({});
    setRowErrors({});
    change(
      () => api.replaceFile(job.id, file),
      `${file.name} replaces the previous file and was checked again.`,
      setFileError,
    );
  };

  const errors = job.counts.errors;
  const excluded = [...job.excluded].sort((a, b) => a - b);
  const canContinue = errors === 0 && job.state === 'validated';

  return (
    <div>
      <h2 tabIndex={-1}>
        {errors > 0 ? `Fix ${counted(errors, 'error')}` : 'All errors are resolved'}
      </h2>
      <p class="lead" data-testid="issue-summary">
        {errors > 0
          ? `Nothing is ${job.mode === 'delete' ? 'deleted' : 'changed'} while an error is left. Correct a value, use a suggestion, exclude the row, or upload a corrected file.`
          : 'You can go on to the summary.'}
        {job.counts.warnings > 0 &&
          ` ${counted(job.counts.warnings, 'warning')} ${job.counts.warnings === 1 ? 'needs' : 'need'} no action${
            job.mode === 'delete' ? ' (a user listed twice is deleted once)' : ''
          }.`}
      </p>

      <div class="bulk-actions">
        <button
          type="button"
          class="button secondary"
          disabled={busy || errors === 0}
          onClick={excludeAll}
        >
          Exclude all erroneous rows
        </button>
        <FilePicker
          id="corrected-file"
          label="Upload a corrected file"
          onFile={replaceFile}
          disabled={busy}
          describedBy={fileError ? 'corrected-file-error' : undefined}
        />
      </div>
      <ErrorText id="corrected-file-error">{fileError}</ErrorText>
      {status && <Notice>{status}</Notice>}
      <ErrorText>{error}</ErrorText>

      <div class="table-wrap">
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
                      <button type="button" class="button secondary small" onClick={onBack}>
                        Assign the column
                      </button>
                    ) : isExcluded ? (
                      <div class="fix-actions">
                        <span class="badge muted-badge">Excluded</span>
                        <button
                          type="button"
                          class="button secondary small"
                          disabled={busy}
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
                          <button type="submit" class="button primary small" disabled={busy}>
                            Save
                          </button>
                        </div>
                        <div class="fix-actions">
                          {issue.suggestion && (
                            <button
                              type="button"
                              class="button secondary small"
                              disabled={busy}
                              onClick={() => fix(issue.row, issue.suggestion!)}
                            >
                              Use suggestion: {issue.suggestion}
                            </button>
                          )}
                          <button
                            type="button"
                            class="button secondary small"
                            disabled={busy}
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
                  disabled={busy}
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
        <button type="button" class="button secondary" onClick={onBack}>
          Back
        </button>
        <button type="button" class="button primary" disabled={!canContinue} onClick={onContinue}>
          Continue to the summary
        </button>
      </div>
      {!canContinue && errors > 0 && (
        <p class="hint right">Fix or exclude every error to continue.</p>
      )}
    </div>
  );
}
