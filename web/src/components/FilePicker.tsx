interface Props {
  id: string;
  label: string;
  onFile: (file: File) => void;
  disabled?: boolean;
  describedBy?: string;
}

export const kAcceptedFiles = '.xlsx,.csv,.xls,.ods,.txt,.tsv';

/**
 * A real `<input type=file>` behind a label that looks like a button: keyboard users tab to
 * the input (the label shows its focus ring), screen readers read the label.
 */
export function FilePicker({ id, label, onFile, disabled, describedBy }: Props) {
  return (
    <span class="file-picker">
      <input
        id={id}
        type="file"
        class="file-input"
        accept={kAcceptedFiles}
        disabled={disabled}
        aria-describedby={describedBy}
        onChange={(e) => {
          const input = e.currentTarget;
          const file = input.files?.[0];
          input.value = ''; // choosing the same file again must fire again
          if (file) onFile(file);
        }}
      />
      <label for={id} class={`button secondary${disabled ? ' disabled' : ''}`}>
        {label}
      </label>
    </span>
  );
}
