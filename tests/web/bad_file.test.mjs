// Flow 4: files that are not spreadsheets are refused with their reason shown next to the
// upload zone, and nothing is stored. A file damaged further down than the upload reads is
// found by the check: the mapping step, where the admin waited for it, says why (also after a
// reload), nothing can run, and a corrected file goes on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { apiFromPage, figure, jobIdOf, login, startFlow, waitForJob } from './helpers.mjs';

const kPdf = '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n';

/** `good`, then 30 duplicates of anna (rows 4 to 33), then a cell over the limit (row 34),
 * past the rows the upload and the preview read: only the check finds it. */
function damagedFile(good) {
  return `${good}${'anna.schmidt@acme.example\n'.repeat(30)}${'x'.repeat(40_000)}\n`;
}

test('a PDF or random bytes named .xlsx are refused next to the upload zone', async (t) => {
  const { roster, page, shots, consoleErrors } = await startFlow(t, 'bad-file', {
    seed: (r) => r.addUsers([['anna.schmidt@acme.example', 'Anna', 'Schmidt']]),
  });
  const pdf = roster.file('leavers.xlsx', kPdf);
  const noise = roster.file('noise.xlsx', randomBytes(4096));

  await login(page, roster.baseUrl);
  await page.getByRole('link', { name: 'Import user data' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
  const zone = page.getByTestId('drop-zone');

  for (const [file, name] of [
    [pdf, 'leavers.xlsx'],
    [noise, 'noise.xlsx'],
  ]) {
    await page.getByLabel('Choose a file').setInputFiles(file);
    const message = zone.locator('#upload-error');
    await message.filter({ hasText: name }).waitFor();
    const text = await message.innerText();
    assert.ok(text.length > name.length + 10, `a reason is given: ${text}`);
    // The picker stays usable, and is described by the message.
    assert.equal(
      await page.getByLabel('Choose a file').getAttribute('aria-describedby'),
      'upload-error',
    );
    await shots.take(page, `refused-${name.replace('.', '-')}`);
    // Still on the upload step.
    await page.getByRole('heading', { name: 'Upload your spreadsheet' }).waitFor();
  }
  const pdfMessage = await (async () => {
    await page.getByLabel('Choose a file').setInputFiles(pdf);
    const message = zone.locator('#upload-error').filter({ hasText: 'leavers.xlsx' });
    await message.waitFor();
    return message.innerText();
  })();
  assert.match(pdfMessage, /PDF/i, 'the message says what the file is');

  const jobs = await apiFromPage(page, 'GET', '/api/v1/imports');
  assert.equal(jobs.status, 200);
  assert.deepEqual(jobs.json.jobs, [], 'nothing stored');
  assert.equal(roster.users().size, 1);
  assert.deepEqual(consoleErrors, []);
});

test('a file damaged further down is explained on the mapping step after the check', async (t) => {
  const { roster, page, shots, consoleErrors } = await startFlow(t, 'damaged-file', {
    seed: (r) =>
      r.addUsers([
        ['anna.schmidt@acme.example', 'Anna', 'Schmidt'],
        ['ben.mueller@acme.example', 'Ben', 'Mueller'],
      ]),
  });
  const good = 'Email\nanna.schmidt@acme.example\nben.mueller@acme.example\n';
  // Rows 4 to 33 anna again (duplicates: warnings only); row 34 a cell over the limit of
  // 32,767 characters, past the rows the upload and the preview read.
  const damaged = roster.file('leavers.csv', damagedFile(good));

  await login(page, roster.baseUrl);
  await page.getByRole('link', { name: 'Import user data' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('Choose a file').setInputFiles(damaged);
  await page.getByRole('button', { name: 'Use row 1 as header' }).click();
  await page.getByRole('heading', { name: 'Which column holds what?' }).waitFor();
  await page.getByRole('button', { name: 'Check the file' }).click();

  const reason = page.locator('#check-error');
  await reason.waitFor({ timeout: 60_000 });
  const text = await reason.innerText();
  assert.match(text, /row 34/, text);
  assert.match(text, /longer than 32767 characters/, text);
  assert.equal(await reason.getAttribute('role'), 'alert');
  assert.equal(await page.getByRole('button', { name: 'Check the file again' }).isEnabled(), true);
  assert.equal(await page.getByRole('button', { name: 'Back' }).isEnabled(), true);
  await shots.take(page, 'damaged');

  // The job waits, not checked, and cannot run.
  const id = jobIdOf(page);
  const job = await waitForJob(page, id, (j) => j.state !== 'checking');
  assert.equal(job.state, 'uploaded');
  assert.equal(job.error, text);
  const run = await apiFromPage(
    page,
    'POST',
    `/api/v1/imports/${id}/execute`,
    { delete_elearning_accounts: false },
    { 'If-Match': `"${job.version}"` },
  );
  assert.equal(run.status, 409, run.text);
  assert.equal(run.json.error.code, 'failed_precondition');

  // A reload comes back to the reason.
  await page.reload();
  await page.getByRole('heading', { name: 'Which column holds what?' }).waitFor();
  await reason.filter({ hasText: 'row 34' }).waitFor();

  // A corrected file, uploaded right there, is checked and leads to the summary.
  await page.getByLabel('Upload a corrected file').setInputFiles(roster.file('fixed.csv', good));
  await page.getByRole('heading', { name: 'Summary' }).waitFor({ timeout: 60_000 });
  assert.equal(await figure(page, 'to_delete'), 2);
  await page.getByText('File: fixed.csv').waitFor();
  await shots.take(page, 'corrected');
  assert.equal(roster.users().size, 2);
  assert.deepEqual(consoleErrors, []);
});
