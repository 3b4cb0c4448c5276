import { useState } from 'preact/hooks';
import { api, ApiError, downloads, type ImportMode, type Job } from '../api';
import { ErrorText } from '../components/Alert';
import { FilePicker } from '../components/FilePicker';

interface Props {
  mode: ImportMode;
  onUploaded: (job: Job) => void;
  onBack: () => void;
}

/** The drop zone, with a file picker for those who do not drag (or cannot). */
export function UploadStep({ mode, onUploaded, onBack }: Props) {
  const [dragging, setDragging] = useState(false);
  const [busy, setBusy] = useState<string>('');
  const [error, setError] = useState('');

  const upload = async (file: File) => {
    setBusy(file.name);
    setError('');
    try {
      onUploaded(await api.upload(mode, file));
    } catch (e) {
      // The server's reasons name the file already.
      setError(e instanceof ApiError ? e.message : `${file.name} could not be uploaded.`);
      setBusy('');
    }
  };

  return (
    <div>
      <h2 tabIndex={-1}>Upload your spreadsheet</h2>
      <p class="lead">
        {mode === 'delete'
          ? 'The file needs a column with the email addresses of the users to delete.'
          : 'The file needs columns for the email address, first name and last name.'}{' '}
        Excel (.xlsx, .xls), OpenDocument (.ods) and CSV files work.{' '}
        <a href={downloads.template(mode)} download>
          Download a template
        </a>{' '}
        whose columns are recognized automatically.
      </p>
      <div
        class={`drop-zone${dragging ? ' dragging' : ''}${error ? ' has-error' : ''}`}
        data-testid="drop-zone"
        onDragEnter={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragOver={(e) => {
          e.preventDefault();
          if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
        }}
        onDragLeave={(e) => {
          const to = e.relatedTarget as Node | null;
          if (!to || !e.currentTarget.contains(to)) setDragging(false);
        }}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          const file = e.dataTransfer?.files?.[0];
          if (file && !busy) upload(file);
        }}
      >
        {busy ? (
          <p class="drop-title" role="status">
            Uploading and reading {busy}…
          </p>
        ) : (
          <>
            <p class="drop-title">Drag and drop your file here</p>
            <p class="drop-or">or</p>
            <FilePicker
              id="upload-file"
              label="Choose a file"
              onFile={upload}
              describedBy={error ? 'upload-error' : 'upload-hint'}
            />
            <p class="hint" id="upload-hint">
              .xlsx, .xls, .ods or .csv, up to 100 MB
            </p>
          </>
        )}
        <ErrorText id="upload-error">{error}</ErrorText>
      </div>
      <div class="step-actions">
        <button type="button" class="button secondary" onClick={onBack}>
          Back
        </button>
      </div>
    </div>
  );
}
