import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, changedJob, downloads, type Job } from '../api';
import { ErrorText } from '../components/Alert';
import { Counts } from '../components/Counts';
import { count, counted } from '../format';
import { href } from '../router';

const kPollMs = 300;
const kReportPolls = 20;

interface Props {
  job: Job;
  onJob: (job: Job) => void;
  onAnother: () => void;
  /** "Run it again" was refused because the job changed meanwhile: the job as it is now. */
  onConflict: (job: Job) => void;
}

/** The progress bar while the job runs (polled), then its result and report downloads. */
export function RunStep({ job, onJob, onAnother, onConflict }: Props) {
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  // Queued: confirmed, waiting for a server (or for another import of the organization).
  const running = job.state === 'queued' || job.state === 'running';
  // The report is written just after the commit: a done job may wait a moment for it (a few
  // polls; a report that could not be written never comes).
  const reportPolls = useRef(0);
  const awaitingReport =
    job.state === 'done' && !job.report_available && reportPolls.current < kReportPolls;
  const polling = running || awaitingReport;

  useEffect(() => {
    if (!polling) return;
    let stopped = false;
    let timer = 0;
    const poll = async () => {
      try {
        const next = await api.job(job.id);
        if (stopped) return;
        setError('');
        onJob(next);
        const more =
          next.state === 'queued' ||
          next.state === 'running' ||
          (next.state === 'done' && !next.report_available && ++reportPolls.current < kReportPolls);
        if (more) timer = window.setTimeout(poll, kPollMs);
      } catch (e) {
        if (stopped) return;
        setError(
          e instanceof ApiError
            ? `${e.message} Retrying…`
            : 'The progress could not be read. Retrying…',
        );
        timer = window.setTimeout(poll, kPollMs * 5);
      }
    };
    timer = window.setTimeout(poll, kPollMs);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [job.id, polling]);

  // The heading changes once the job is over: move the focus so that is read out.
  useEffect(() => {
    if (!running) document.querySelector<HTMLElement>('.wizard-step h2')?.focus();
  }, [running]);

  if (running) {
    const { phase, done, total } = job.progress;
    const what = job.mode === 'delete' ? 'users deleted' : 'users written';
    return (
      <div>
        <h2 tabIndex={-1}>{job.mode === 'delete' ? 'Deleting users…' : 'Importing users…'}</h2>
        <label for="import-progress" class="progress-label">
          {job.state === 'queued'
            ? 'Waiting to start (another import of your organization may be running)…'
            : phase === 'checking'
            ? `Checking the file once more: ${count(done)} rows read`
            : total > 0
              ? `${count(done)} of ${count(total)} ${what}`
              : 'Starting…'}
        </label>
        {total > 0 ? (
          <progress id="import-progress" max={total} value={done} />
        ) : (
          <progress id="import-progress" />
        )}
        <p class="hint">You can leave this page: the import goes on, and its result is kept.</p>
        <ErrorText>{error}</ErrorText>
      </div>
    );
  }

  const runAgain = async () => {
    setBusy(true);
    setError('');
    try {
      onJob(await api.execute(job, job.delete_elearning_accounts));
    } catch (e) {
      const now = changedJob(e);
      if (now) return onConflict(now);
      setError(e instanceof ApiError ? e.message : 'The import could not be started again.');
    } finally {
      setBusy(false);
    }
  };

  const c = job.counts;
  const items: [string, number, string][] =
    job.mode === 'delete'
      ? [
          ['Users deleted', c.deleted, 'deleted'],
          ['E-learning accounts deleted', c.elearning_deleted, 'elearning_deleted'],
          ['E-learning accounts kept, unlinked', c.elearning_unlinked, 'elearning_unlinked'],
          ['Already gone or changed meanwhile', c.already_gone, 'already_gone'],
        ]
      : [
          ['Users created', c.created, 'created'],
          ['Users updated', c.updated, 'updated'],
          ['Unchanged', c.unchanged, 'unchanged'],
          ['Changed by someone else meanwhile (left alone)', c.already_gone, 'already_gone'],
        ];

  return (
    <div>
      <h2 tabIndex={-1} data-testid="result-title">
        {resultTitle(job)}
      </h2>
      {job.state === 'done' && <Counts items={items} />}
      {job.state === 'failed' && (
        <p class="error-text" role="alert">
          The import failed{job.error ? `: ${job.error}` : '.'} Nothing was changed.
        </p>
      )}
      {job.state === 'interrupted' && (
        <>
          <p class="notice">
            The import was interrupted before it finished (for example by a restart of the
            server). Either none or all of its changes were saved; running it again finishes it,
            once.
          </p>
          <button type="button" class="button primary" disabled={busy} onClick={runAgain}>
            Run it again
          </button>
        </>
      )}
      {job.state === 'cancelled' && <p class="notice">This import was cancelled.</p>}
      <ErrorText>{error}</ErrorText>

      {job.report_available && (
        <div class="report">
          <h3>Report</h3>
          <p>One row per row of your file, with what happened to it.</p>
          <div class="button-row">
            <a class="button secondary" href={downloads.report(job.id, 'xlsx')} download>
              Download the report (.xlsx)
            </a>
            <a class="button secondary" href={downloads.report(job.id, 'csv')} download>
              Download the report (.csv)
            </a>
          </div>
        </div>
      )}

      <div class="step-actions">
        <button type="button" class="button secondary" onClick={onAnother}>
          Start another import
        </button>
        <a class="button primary" href={href('users')}>
          Back to the user list
        </a>
      </div>
    </div>
  );
}

function resultTitle(job: Job): string {
  const c = job.counts;
  switch (job.state) {
    case 'done':
      return job.mode === 'delete'
        ? `Done: ${counted(c.deleted, 'user')} deleted`
        : `Done: ${count(c.created)} created, ${count(c.updated)} updated`;
    case 'failed':
      return 'The import failed';
    case 'interrupted':
      return 'The import was interrupted';
    case 'cancelled':
      return 'The import was cancelled';
    default:
      return 'Import';
  }
}
