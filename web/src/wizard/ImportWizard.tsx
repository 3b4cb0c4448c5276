import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, type Attribute, type ImportMode, type Job, type PreviewRow } from '../api';
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

/** Where a job stands, for a wizard opened on `#/import/ID` (a reload, a second tab). */
export function stepForJob(job: Job): Step {
  switch (job.state) {
    case 'uploaded':
      return job.sheets.length > 1 ? 'sheet' : 'header';
    case 'mapped': // validated with errors left, or not validated yet
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

  function reset() {
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

  /** Leaves the job behind (cancelled on the server, best effort) and starts again. */
  const startOver = (nextStep: Step) => {
    if (
      job &&
      !['queued', 'running', 'done', 'failed', 'interrupted', 'cancelled'].includes(job.state)
    ) {
      api.cancel(job.id).catch(() => undefined);
    }
    reset();
    setStep(nextStep);
    navigate('import', true);
  };

  const cancel = () => {
    startOver('mode');
    navigate('users');
  };

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
            setStep('upload');
          }}
        />
      );
      break;
    case 'upload':
      body = <UploadStep mode={mode} onUploaded={uploaded} onBack={() => setStep('mode')} />;
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
            setStep('header');
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
          onBack={() => (several ? setStep('sheet') : startOver('upload'))}
          onDone={(next) => {
            setJob(next);
            setStep('mapping');
          }}
        />
      );
      break;
    case 'mapping':
      body = job && attributes && (
        <MappingStep
          job={job}
          attributes={attributes}
          onJob={setJob}
          onBack={() => setStep('header')}
          onValidated={afterValidation}
        />
      );
      break;
    case 'issues':
      body = job && (
        <IssuesStep
          job={job}
          onJob={setJob}
          onBack={() => setStep('mapping')}
          onContinue={() => setStep('summary')}
        />
      );
      break;
    case 'summary':
      body = job && (
        <SummaryStep
          job={job}
          onBack={() => setStep(hadIssues ? 'issues' : 'mapping')}
          onStarted={(next) => {
            setJob(next);
            setStep('run');
          }}
        />
      );
      break;
    case 'run':
      body = job && <RunStep job={job} onJob={setJob} onAnother={() => startOver('mode')} />;
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
