import { useState } from 'preact/hooks';
import type { ImportMode } from '../api';

const kModes: [ImportMode, string, string][] = [
  [
    'delete',
    'Delete users',
    'Upload a list of email addresses. The users with these addresses are deleted, after you ' +
      'have checked a summary and confirmed. Nobody else is touched.',
  ],
  [
    'add-update',
    'Add and update users',
    'Upload a list of users. Addresses that are new are added; users that exist already get ' +
      'the values of the file. Nobody is deleted.',
  ],
];

export function ModeStep({
  mode,
  onChoose,
}: {
  mode: ImportMode;
  onChoose: (mode: ImportMode) => void;
}) {
  const [chosen, setChosen] = useState<ImportMode>(mode);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        onChoose(chosen);
      }}
    >
      <h2 tabIndex={-1}>What do you want to do?</h2>
      <fieldset class="choice-list">
        <legend class="visually-hidden">Import mode</legend>
        {kModes.map(([key, title, text]) => (
          <label class={`choice${chosen === key ? ' selected' : ''}`} key={key}>
            <input
              type="radio"
              name="mode"
              value={key}
              checked={chosen === key}
              onChange={() => setChosen(key)}
            />
            <span>
              <span class="choice-title">{title}</span>
              <span class="choice-text">{text}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <div class="step-actions">
        <button type="submit" class="button primary">
          Continue
        </button>
      </div>
    </form>
  );
}
