// Nothing runs that the admin did not see: a job changed by another admin while this tab
// shows it is refused (409 with the job as it is now), and the console shows it anew with a
// message instead of deleting. Confirming the new summary then works.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiFromPage, figure, jobIdOf, login, startFlow, waitForJob } from './helpers.mjs';

const kOther = 'second.admin@acme.example';
const kChanged =
  'This import was changed meanwhile (in another tab or by another admin). It is shown as it is now; check it and repeat what is still needed.';
const kUsers = [
  ['anna.schmidt@acme.example', 'Anna', 'Schmidt'],
  ['ben.mueller@acme.example', 'Ben', 'Mueller'],
  ['carla.rossi@acme.example', 'Carla', 'Rossi'],
  ['dave.jones@acme.example', 'Dave', 'Jones'],
];

/** Another admin, signed in in their own browser context (own session and CSRF token). */
async function otherAdmin(t, browser, baseUrl) {
  const context = await browser.newContext();
  t.after(() => context.close());
  const page = await context.newPage();
  await login(page, baseUrl, kOther);
  return page;
}

/**
 * What the other admin's console would send: the step, with the version it saw. `state` is
 * the state the change answers: `checking` when it queues a check of the whole file, or the
 * state after a change of one error row, which is applied at once.
 */
async function changeAsOther(other, id, method, suffix, body, state) {
  const seen = await apiFromPage(other, 'GET', `/api/v1/imports/${id}`);
  assert.equal(seen.status, 200, seen.text);
  assert.equal(seen.etag, `"${seen.json.version}"`, 'the ETag is the version');
  const changed = await apiFromPage(other, method, `/api/v1/imports/${id}${suffix}`, body, {
    'If-Match': `"${seen.json.version}"`,
  });
  assert.equal(changed.status, 200, changed.text);
  assert.equal(changed.json.state, state, `${suffix} answered ${changed.text}`);
  assert.ok(changed.json.version > seen.json.version);
  return changed.json;
}

async function toMapping(page, baseUrl, file) {
  await login(page, baseUrl);
  await page.getByRole('link', { name: 'Import user data' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('Choose a file').setInputFiles(file);
  await page.getByRole('button', { name: 'Use row 1 as header' }).click();
  await page.getByRole('heading', { name: 'Which column holds what?' }).waitFor();
}

test('confirming a summary that changed meanwhile shows the new one; nothing is deleted', async (t) => {
  const { roster, browser, page, shots, consoleErrors } = await startFlow(t, 'changed-meanwhile', {
    seed: (r) => {
      r.addUsers(kUsers);
      r.addAdmin(kOther);
    },
  });
  const file = roster.file(
    'leavers.csv',
    'Email\nanna.schmidt@acme.example\nben.mueller@acme.example\ncarla.rossi@acme.example\n',
  );
  await toMapping(page, roster.baseUrl, file);
  await page.getByRole('button', { name: 'Check the file' }).click();
  await page.getByRole('heading', { name: 'Summary' }).waitFor();
  assert.equal(await figure(page, 'to_delete'), 3);
  const id = jobIdOf(page);
  await shots.take(page, 'summary');

  // Meanwhile another admin excludes ben (row 3) from this import.
  const other = await otherAdmin(t, browser, roster.baseUrl);
  const after = await changeAsOther(other, id, 'POST', '/exclusions', { row: 3 }, 'checking');
  t.diagnostic(`the other admin's exclusion answered version ${after.version}`);

  // The admin confirms the summary this tab still shows: three users.
  await page.getByRole('button', { name: 'Delete 3 users…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete 3 users?' });
  await dialog.getByRole('button', { name: 'Delete 3 users' }).click();

  // Refused: the message, and the summary as it is now (after its new check).
  const notice = page.getByTestId('changed');
  await notice.waitFor();
  assert.equal(await notice.innerText(), kChanged);
  assert.equal(await notice.getAttribute('role'), 'alert');
  await dialog.waitFor({ state: 'detached' });
  await page.getByRole('heading', { name: 'Summary' }).waitFor({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Delete 2 users…' }).waitFor({ timeout: 60_000 });
  assert.equal(await figure(page, 'to_delete'), 2);
  assert.equal(await figure(page, 'excluded_rows'), 1);
  await notice.waitFor(); // still there on the new summary
  await shots.take(page, 'changed-meanwhile');

  // Nothing was deleted, nothing is queued.
  assert.equal(roster.users().size, 4);
  const now = await waitForJob(page, id, (job) => job.state !== 'checking');
  assert.equal(now.state, 'validated', JSON.stringify(now));

  // Confirming the summary on screen now works.
  await page.getByRole('button', { name: 'Delete 2 users…' }).click();
  await page
    .getByRole('dialog', { name: 'Delete 2 users?' })
    .getByRole('button', { name: 'Delete 2 users' })
    .click();
  await page.getByRole('heading', { name: 'Done: 2 users deleted' }).waitFor({ timeout: 60_000 });
  assert.equal(await page.getByTestId('changed').count(), 0, 'the message has served');
  await shots.take(page, 'result');
  assert.deepEqual([...roster.users().keys()].sort(), [
    'ben.mueller@acme.example',
    'dave.jones@acme.example',
  ]);
  assert.deepEqual(consoleErrors, []);
});

test('a fix in the error step after another admin changed the job shows the job anew', async (t) => {
  const { roster, browser, page, shots, consoleErrors } = await startFlow(t, 'changed-issues', {
    seed: (r) => {
      r.addUsers(kUsers);
      r.addAdmin(kOther);
    },
  });
  const file = roster.file(
    'leavers.csv',
    'Email\nanna.schmidt@acme.example\nnobody@acme.example\n',
  );
  await toMapping(page, roster.baseUrl, file);
  await page.getByRole('button', { name: 'Check the file' }).click();
  await page.getByRole('heading', { name: 'Fix 1 error' }).waitFor();
  const id = jobIdOf(page);

  // Meanwhile another admin corrects row 3 to dave's address (applied at once: no error left).
  const other = await otherAdmin(t, browser, roster.baseUrl);
  await changeAsOther(other, id, 'POST', '/fixes', { row: 3, value: 'dave.jones@acme.example' },
    'validated');

  // This tab still shows the error and excludes the row: refused, the job is shown as it is
  // now (no error left: the summary, with dave to delete too).
  await page
    .locator('.issues-table tr[data-row="3"]')
    .getByRole('button', { name: 'Exclude row' })
    .click();
  await page.getByTestId('changed').waitFor();
  await page.getByRole('heading', { name: 'Summary' }).waitFor({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Delete 2 users…' }).waitFor({ timeout: 60_000 });
  assert.equal(await figure(page, 'excluded_rows'), 0, 'the exclusion was not made');
  await shots.take(page, 'changed-in-issues');
  const now = await waitForJob(page, id, (job) => job.state !== 'checking');
  assert.deepEqual(now.excluded, []);
  assert.deepEqual(now.fixes, { 3: 'dave.jones@acme.example' });
  assert.equal(roster.users().size, 4);
  assert.deepEqual(consoleErrors, []);
});
