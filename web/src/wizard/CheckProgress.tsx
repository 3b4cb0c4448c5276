import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, changedJob, type Job, waitForCheck, WaitStopped } from '../api';
import { ErrorText } from '../components/Alert';
import { count } from '../format';

/** A check of the job's file running in the background, as a step watches it. */
export interface CheckWatch {
  /** The job while its check runs (the last one polled, for the progress), else null. */
  checking: Job | null;
  /**
   * Waits for the check of `job` (polling it; each job polled goes to onJob too) and resolves
   * with the job as the check left it: `validated`, `mapped`, or `uploaded` with the reason in
   * `error`. Resolves with null when the step was left meanwhile; rejects when the job cannot
   * be read any more (gone, session ended).
   */
  wait: (job: Job) => Promise<Job | null>;
  /** Cancels the running check (the job then reads `uploaded`, "The check was cancelled."). */
  cancel: () => void;
  cancelling: boolean;
  /** A poll that failed (and is retried), or a cancellation that failed. */
  error: string;
}

/** Watches the checks a step starts; polling stops when the step unmounts. */
export function useCheck(onJob: (job: Job) => void): CheckWatch {
  const [checking, setChecking] = useState<Job | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const [error, setError] = useState('');
  const current = useRef<Job | null>(null);
  const stopper = useRef<AbortController | null>(null);
  if (stopper.current === null) stopper.current = new AbortController();
  const signal = stopper.current.signal;
  useEffect(() => () => stopper.current?.abort(), []);

  const wait = async (job: Job): Promise<Job | null> => {
    if (job.state !== 'checking') return job;
    current.current = job;
    setChecking(job);
    setError('');
    try {
      return await waitForCheck(job, {
        signal,
        onJob: (next) => {
          current.current = next;
          setError('');
          onJob(next);
          if (next.state === 'checking') setChecking(next);
        },
        onRetry: (e) => setError(`${e.message} Retrying…`),
      });
    } catch (e) {
      if (e instanceof WaitStopped) return null;
      throw e;
    } finally {
      if (!signal.aborted) {
        current.current = null;
        setChecking(null);
        setCancelling(false);
      }
    }
  };

  const cancel = async () => {
    let job = current.current;
    if (!job || cancelling) return;
    setCancelling(true);
    setError('');
    // The version polled last. A job that answers "changed" while still checking (another
    // tab changed it, which asked for a new check) is asked once more at its new version: the
    // admin asked to stop checking, whatever version is being checked. The next poll shows the
    // job as cancelled.
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        await api.cancelCheck(job);
        return;
      } catch (e) {
        if (signal.aborted) return;
        const now = changedJob(e);
        if (now && now.state === 'checking' && attempt === 0) {
          job = now;
          continue;
        }
        // The check ended before it could be cancelled: the next poll shows how it ended.
        if (now || (e instanceof ApiError && e.code === 'failed_precondition')) return;
        setError(e instanceof ApiError ? e.message : 'The check could not be cancelled.');
        setCancelling(false);
        return;
      }
    }
  };

  return { checking, wait, cancel, cancelling, error };
}

/**
 * The progress of a check, labelled like the run's progress ("Checking the file: 120,000 of
 * 1,000,000 rows", or "… rows read" while the total is not known), with its Cancel button.
 */
export function CheckProgress({ watch }: { watch: CheckWatch }) {
  const job = watch.checking;
  const box = useRef<HTMLDivElement>(null);
  const checkingNow = job !== null;
  // The button that started the check is disabled now: keep the keyboard focus in the step,
  // on the progress (not on Cancel, where a second Enter would cancel at once).
  useEffect(() => {
    if (!checkingNow) return;
    const active = document.activeElement as HTMLButtonElement | null;
    if (!active || active === document.body || active.disabled) box.current?.focus();
  }, [checkingNow]);

  if (!job) return null;
  const { phase, done, total } = job.progress;
  // While rows are read the total is an estimate (a read may pass it); once all are read, what
  // was found is saved.
  const label =
    phase === 'saving'
      ? `Saving what the check found in ${count(total)} rows…`
      : total > 0
        ? `Checking the file: ${count(Math.min(done, total))} of about ${count(total)} rows`
        : `Checking the file: ${count(done)} rows read`;
  return (
    <div class="check-progress" data-testid="check-progress" ref={box} tabIndex={-1}>
      <p class="visually-hidden" role="status">
        Checking the file. This may take a moment.
      </p>
      <label for="check-progress-bar" class="progress-label">
        {label}
      </label>
      {total > 0 ? (
        <progress id="check-progress-bar" max={total} value={Math.min(done, total)} />
      ) : (
        <progress id="check-progress-bar" />
      )}
      <div class="check-progress-actions">
        <span class="hint">Nothing changes until you confirm the summary.</span>
        <button
          type="button"
          class="button secondary small"
          disabled={watch.cancelling}
          onClick={watch.cancel}
        >
          {watch.cancelling ? 'Cancelling the check…' : 'Cancel the check'}
        </button>
      </div>
      <ErrorText>{watch.error}</ErrorText>
    </div>
  );
}

/** After a check ended, the focus may sit on a button that is gone: give it to the heading. */
export function keepFocusInStep(): void {
  const active = document.activeElement;
  if (!active || active === document.body) {
    document.querySelector<HTMLElement>('.wizard-step h2')?.focus();
  }
}
