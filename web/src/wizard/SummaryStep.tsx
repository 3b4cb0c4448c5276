import { useState } from 'preact/hooks';
import { api, ApiError, changedJob, type Job } from '../api';
import { ErrorText } from '../components/Alert';
import { Counts } from '../components/Counts';
import { Dialog } from '../components/Dialog';
import { count, counted } from '../format';

interface Props {
  job: Job;
  onBack: () => void;
  onStarted: (job: Job) => void;
  /** The confirmation was refused because the job changed meanwhile: the job as it is now. */
  onConflict: (job: Job) => void;
}

/**
 * What the file says and what will happen; the button opens the confirmation, which runs the
 * job only as it was shown here (its version): a job changed meanwhile is shown anew instead.
 */
export function SummaryStep({ job, onBack, onStarted, onConflict }: Props) {
  const [confirming, setConfirming] = useState(false);
  const c = job.counts;
  const isDelete = job.mode === 'delete';
  const changes = isDelete ? c.to_delete : c.to_create + c.to_update;

  const fileCounts: [string, number, string][] = [
    ['Rows uploaded', c.rows, 'rows'],
    ['Empty rows', c.empty_rows, 'empty_rows'],
    ['Excluded rows', c.excluded_rows, 'excluded_rows'],
    ['Duplicates', c.duplicates, 'duplicates'],
  ];
  const planCounts: [string, number, string][] = isDelete
    ? [
        ['Users to delete', c.to_delete, 'to_delete'],
        ['Of them with an e-learning account', c.elearning_linked, 'elearning_linked'],
      ]
    : [
        ['Users to create', c.to_create, 'to_create'],
        ['Users to update', c.to_update, 'to_update'],
        ['Unchanged users', c.unchanged, 'unchanged'],
      ];

  return (
    <div>
      <h2 tabIndex={-1}>Summary</h2>
      <p class="lead">
        {isDelete
          ? changes > 0
            ? `${counted(c.to_delete, 'user')} will be deleted. Users who are not in the file are not touched.`
            : 'No user of the file is in the user list: there is nothing to delete.'
          : changes > 0
            ? `${counted(c.to_create, 'user')} will be created and ${counted(c.to_update, 'user')} updated. Nobody is deleted.`
            : 'The file matches the user list already: there is nothing to change.'}
      </p>
      <h3>The file</h3>
      <Counts items={fileCounts} />
      <h3>What will happen</h3>
      <Counts items={planCounts} />
      {c.duplicates > 0 && isDelete && (
        <p class="hint">Addresses listed more than once are counted once.</p>
      )}
      <div class="step-actions">
        <button type="button" class="button secondary" onClick={onBack}>
          Back
        </button>
        <button
          type="button"
          class={`button ${isDelete ? 'danger' : 'primary'}`}
          disabled={changes === 0 || c.errors > 0}
          onClick={() => setConfirming(true)}
        >
          {isDelete ? `Delete ${counted(c.to_delete, 'user')}…` : 'Apply the changes…'}
        </button>
      </div>
      {confirming && (
        <ConfirmDialog
          job={job}
          onCancel={() => setConfirming(false)}
          onStarted={onStarted}
          onConflict={(now) => {
            setConfirming(false);
            onConflict(now);
          }}
        />
      )}
    </div>
  );
}

interface ConfirmProps {
  job: Job;
  onCancel: () => void;
  onStarted: (job: Job) => void;
  onConflict: (job: Job) => void;
}

function ConfirmDialog({ job, onCancel, onStarted, onConflict }: ConfirmProps) {
  const [withAccounts, setWithAccounts] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const c = job.counts;
  const isDelete = job.mode === 'delete';
  const linked = c.elearning_linked;

  const confirm = async () => {
    setBusy(true);
    setError('');
    try {
      // The version of the job whose summary is on screen: nothing else runs.
      onStarted(await api.execute(job, isDelete && linked > 0 && withAccounts));
    } catch (e) {
      const now = changedJob(e);
      if (now) return onConflict(now);
      setError(e instanceof ApiError ? e.message : 'The import could not be started.');
      setBusy(false);
    }
  };

  const title = isDelete
    ? `Delete ${counted(c.to_delete, 'user')}?`
    : `Create ${counted(c.to_create, 'user')} and update ${count(c.to_update)}?`;

  return (
    <Dialog
      title={title}
      onClose={onCancel}
      actions={
        <>
          <button type="button" class="button secondary" onClick={onCancel} data-autofocus>
            Cancel
          </button>
          <button
            type="button"
            class={`button ${isDelete ? 'danger' : 'primary'}`}
            onClick={confirm}
            disabled={busy}
          >
            {isDelete ? `Delete ${counted(c.to_delete, 'user')}` : 'Apply the changes'}
          </button>
        </>
      }
    >
      {isDelete ? (
        <>
          <p>
            The {counted(c.to_delete, 'user')} of the summary will be deleted from the user list.
            This cannot be undone.
          </p>
          {linked > 0 ? (
            <>
              <label class="check">
                <input
                  type="checkbox"
                  checked={withAccounts}
                  onChange={(e) => setWithAccounts(e.currentTarget.checked)}
                />
                <span>
                  Also delete the {count(linked)} linked e-learning{' '}
                  {linked === 1 ? 'account' : 'accounts'}
                </span>
              </label>
              <p class="hint">
                {linked === 1 ? 'One of these users has' : `${count(linked)} of these users have`}{' '}
                an e-learning account. Deleting it also deletes the learning progress and
                certificates; that makes sense when the employees have left the company. If you
                leave this unchecked, the accounts stay, unlinked, with their learning history.
              </p>
            </>
          ) : (
            <p class="hint">None of these users has a linked e-learning account.</p>
          )}
        </>
      ) : (
        <p>
          {counted(c.to_create, 'new user')} will be added and {counted(c.to_update, 'user')}{' '}
          updated with the values of the file.
        </p>
      )}
      <ErrorText>{error}</ErrorText>
    </Dialog>
  );
}
