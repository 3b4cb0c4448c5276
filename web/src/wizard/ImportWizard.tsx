import { useEffect, useRef, useState } from 'preact/hooks';
import {
  api,
  ApiError,
  changedJob,
  kChangedMeanwhile,
  type Attribute,
  type ImportMode,
  type Job,
  type PreviewRow,
} from '../api';
import { ErrorText } from '../components/Alert';
import { navigate } from '../router';
import { ModeStep } from './ModeStep';
import { UploadStep } from './UploadStep';
import { SheetStep } from './SheetStep';
import { HeaderStep } from './HeaderStep';
import { MappingStep } from './MappingStep';
import { IssuesStep } from './IssuesStep';
import { SummaryStep } from './SummaryStep';
import { RunStep } from './RunStep';

export type Step = 'mode' | 'upload' | 'sheet' | 'header' | 'mapping' | 'issues' | 'summary' | 'run';

/**
 * Where a job stands, for a wizard opened on `#/import/ID` (a reload, a second tab), or shown
 * anew after a step found it changed meanwhile.
 */
export function stepForJob(job: Job): Step {
  switch (job.state) {
    case 'uploaded':
      // A check that could not read the file as set (or was cancelled) is explained where
      // the admin waited for it.
      if (job.error) return 'mapping';
      return job.sheets.length > 1 ? 'sheet' : 'header';
    case 'checking': // the mapping step shows the check's progress and waits for it
      return 'mapping';
    case 'mapped': // checked, with errors left
      return job.validated && job.counts.errors > 0 ? 'issues' : 'mapping';
    case 'validated':
      return 'summary';
    case 'cancelled':
      return 'mode';
    default:
      return 'run'; // queued, running, done, failed, interrupted
  }
}

const kModeTitles: Record<ImportMode, string> = {
  delete: 'Delete users',
  'add-update': 'Add and update users',
};

/**
 * The import wizard of DESIGN.md section 1: mode, file, sheet, header row, mapping, errors,
 * summary, confirmation, progress, result. The server's job is the state; this component
 * only remembers which step is on screen.
 */
export function ImportWizard({ jobId }: { jobId: number | null }) {
  const [mode, setMode] = useState<ImportMode>('delete');
  const [job, setJob] = useState<Job | null>(null);
  const [step, setStep] = useState<Step>('mode');
  const [attributes, setAttributes] = useState<Attribute[] | null>(null);
  // The sheet chosen in the sheet step and its first rows, for the header step.
  const [sheet, setSheet] = useState('');
  const [rows, setRows] = useState<PreviewRow[]>([]);
  const [loadError, setLoadError] = useState('');
  // Shown when a step found the job changed meanwhile (another tab or admin), until the admin
  // moves on; `changes` counts them, so each one takes the focus.
  const [changed, setChanged] = useState({ shown: false, changes: 0 });
  const changedRef = useRef<HTMLParagraphElement>(null);
  // Whether the file had several sheets (the sheet step is shown). Remembered, because a job
  // that ran no longer lists the sheets of its (removed) upload.
  const severalSheets = useRef(false);
  if (job && job.sheets.length > 1) severalSheets.current = true;

  useEffect(() => {
    api.attributes().then(
      (result) => setAttributes(result.attributes),
      (e) => setLoadError(e instanceof ApiError ? e.message : 'The attributes could not be loaded.'),
    );
  }, []);

  // Opened on #/import/ID without that job in hand: fetch it and go to its step.
  useEffect(() => {
    if (jobId === null) {
      if (job !== null) reset();
      return;
    }
    if (job?.id === jobId) return;
    api.job(jobId).then(
      (loaded) => {
        setJob(loaded);
        setMode(loaded.mode);
        setSheet(loaded.sheet);
        setRows(loaded.preview ?? []);
        setStep(stepForJob(loaded));
      },
      (e) => setLoadError(e instanceof ApiError ? e.message : 'The import could not be loaded.'),
    );
  }, [jobId]);

  // Each step starts with its heading focused, so the keyboard and screen readers follow.
  useEffect(() => {
    document.querySelector<HTMLElement>('.wizard-step h2')?.focus();
  }, [step]);
  // ... unless the job changed meanwhile: that message is read first (declared after the
  // effect above, so it runs after it).
  useEffect(() => {
    if (changed.changes > 0) changedRef.current?.focus();
  }, [changed.changes]);

  /** A step the admin takes: the message about a changed job has served. */
  const go = (next: Step) => {
    setChanged((c) => ({ ...c, shown: false }));
    setStep(next);
  };

  /** A step found the job changed meanwhile: show it as it is now, where it stands. */
  const showChanged = (now: Job) => {
    setJob(now);
    if (now.sheet !== sheet) setSheet(now.sheet);
    if (now.preview) setRows(now.preview);
    setStep(stepForJob(now));
    setChanged((c) => ({ shown: true, changes: c.changes + 1 }));
  };

  function reset() {
    setChanged((c) => ({ ...c, shown: false }));
    setJob(null);
    severalSheets.current = false;
    setStep('mode');
    setSheet('');
    setRows([]);
  }

  const uploaded = (next: Job) => {
    setJob(next);
    setSheet(next.sheet);
    setRows(next.preview ?? []);
    setStep(next.sheets.length > 1 ? 'sheet' : 'header');
    navigate(`import/${next.id}`, true);
  };

  /**
   * Leaves the job behind (cancelled on the server, best effort) and starts again. The admin
   * leaves it whatever it is now: a job that changed meanwhile is cancelled at its new
   * version, while it can still be.
   */
  const startOver = (nextStep: Step) => {
    const editable = (j: Job) => ['uploaded', 'checking', 'mapped', 'validated'].includes(j.state);
    if (job && editable(job)) {
      api.cancel(job).catch((e) => {
        const now = changedJob(e);
        if (now && editable(now)) api.cancel(now).catch(() => undefined);
      });
    }
    reset();
    setStep(nextStep);
    navigate('import', true);
  };

  const cancel = () => {
    startOver('mode');
    navigate('users');
  };

  // The check ended with a plan (asked for in the mapping step, or found running there).
  const afterValidation = (next: Job) => {
    setJob(next);
    setStep(next.counts.errors > 0 ? 'issues' : 'summary');
  };

  if (loadError) {
    return (
      <section>
        <h1 tabIndex={-1}>Import user data</h1>
        <ErrorText>{loadError}</ErrorText>
        <button type="button" class="button secondary" onClick={() => startOver('mode')}>
          Start a new import
        </button>
      </section>
    );
  }

  const several = severalSheets.current;
  const hadIssues = job !== null && (job.counts.errors > 0 || job.excluded.length > 0);
  const running = job !== null && step === 'run';

  let body;
  switch (step) {
    case 'mode':
      body = (
        <ModeStep
          mode={mode}
          onChoose={(chosen) => {
            setMode(chosen);
            go('upload');
          }}
        />
      );
      break;
    case 'upload':
      body = <UploadStep mode={mode} onUploaded={uploaded} onBack={() => go('mode')} />;
      break;
    case 'sheet':
      body = job && (
        <SheetStep
          job={job}
          sheet={sheet}
          onBack={() => startOver('upload')}
          onChosen={(name, preview) => {
            setSheet(name);
            setRows(preview);
            go('header');
          }}
        />
      );
      break;
    case 'header':
      body = job && (
        <HeaderStep
          job={job}
          sheet={sheet}
          rows={rows}
          onBack={() => (several ? go('sheet') : startOver('upload'))}
          onDone={(next) => {
            setJob(next);
            go('mapping');
          }}
          onConflict={showChanged}
        />
      );
      break;
    case 'mapping':
      body = job && attributes && (
        <MappingStep
          job={job}
          attributes={attributes}
          onJob={setJob}
          onBack={() => go('header')}
          onValidated={afterValidation}
          onConflict={showChanged}
        />
      );
      break;
    case 'issues':
      body = job && (
        <IssuesStep
          job={job}
          onJob={setJob}
          onBack={() => go('mapping')}
          onContinue={() => go('summary')}
          onConflict={showChanged}
        />
      );
      break;
    case 'summary':
      body = job && (
        <SummaryStep
          job={job}
          onBack={() => go(hadIssues ? 'issues' : 'mapping')}
          onStarted={(next) => {
            setJob(next);
            go('run');
          }}
          onConflict={showChanged}
        />
      );
      break;
    case 'run':
      body = job && (
        <RunStep
          job={job}
          onJob={setJob}
          onAnother={() => startOver('mode')}
          onConflict={showChanged}
        />
      );
      break;
  }

  return (
    <section class="wizard">
      <div class="page-head">
        <h1 tabIndex={-1}>
          Import user data{step !== 'mode' && `: ${kModeTitles[mode].toLowerCase()}`}
        </h1>
        {!running && (
          <button type="button" class="button secondary" onClick={cancel}>
            Cancel import
          </button>
        )}
      </div>
      <Stepper step={step} severalSheets={several} />
      {job && step !== 'mode' && step !== 'upload' && (
        <p class="file-line">
          File: <strong>{job.file_name}</strong>
          {several && (
            <>
              {' '}
              · sheet <strong>{job.sheet}</strong>
            </>
          )}
        </p>
      )}
      {changed.shown && (
        <p class="changed-notice" role="alert" tabIndex={-1} ref={changedRef} data-testid="changed">
          {kChangedMeanwhile}
        </p>
      )}
      <div class="wizard-step">{body ?? <p role="status">Loading…</p>}</div>
    </section>
  );
}

function Stepper({ step, severalSheets }: { step: Step; severalSheets: boolean }) {
  const steps: [Step, string][] = [
    ['mode', 'Mode'],
    ['upload', 'File'],
    ...(severalSheets ? [['sheet', 'Sheet'] as [Step, string]] : []),
    ['header', 'Header row'],
    ['mapping', 'Columns'],
    ['issues', 'Errors'],
    ['summary', 'Summary'],
    ['run', 'Result'],
  ];
  const current = steps.findIndex(([key]) => key === step);
  return (
    <ol class="stepper" aria-label="Import steps">
      {steps.map(([key, label], index) => (
        <li
          key={key}
          class={index < current ? 'done' : index === current ? 'current' : ''}
          aria-current={index === current ? 'step' : undefined}
        >
          <span class="step-number" aria-hidden="true">
            {index + 1}
          </span>
          <span class="step-label">{label}</span>
        </li>
      ))}
    </ol>
  );
}
