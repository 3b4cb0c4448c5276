import { downloads } from '../api';

/** The import templates: files whose columns Roster assigns without help. */
export function TemplatesPage() {
  return (
    <section>
      <h1 tabIndex={-1}>Templates</h1>
      <p class="lead">
        Fill in a template and upload it with <strong>Import user data</strong>: every column is
        assigned automatically. Each column header has a note saying what goes in it.
      </p>
      <div class="cards">
        <article class="card">
          <h2>Delete users</h2>
          <p>One column: the email address of each user to delete.</p>
          <a class="button primary" href={downloads.template('delete')} download>
            Download the delete template (.xlsx)
          </a>
        </article>
        <article class="card">
          <h2>Add and update users</h2>
          <p>
            Every attribute, with the Roster ID first. Email, first name and last name are
            required; an empty cell keeps what a user already has.
          </p>
          <a class="button primary" href={downloads.template('add-update')} download>
            Download the add / update template (.xlsx)
          </a>
        </article>
        <article class="card">
          <h2>Current user list</h2>
          <p>
            All users with their Roster ID, in the template's columns. Edit it and import it back
            in add / update mode.
          </p>
          <div class="button-row">
            <a class="button secondary" href={downloads.export('xlsx')} download>
              Export as .xlsx
            </a>
            <a class="button secondary" href={downloads.export('csv')} download>
              Export as .csv
            </a>
          </div>
        </article>
      </div>
    </section>
  );
}
