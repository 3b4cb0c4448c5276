// The check of the whole file runs in the background: the mapping step shows its progress
// ("Checking the file: N of about M rows", the CSV file's lines counted at upload) with "Cancel the check", a reload during a check comes
// back to that progress, and a finished check leads on to the errors.
// A generated file of 400,000 rows (none of them a user, so 400,000 errors to save) takes
// the check a few seconds on a small machine: long enough to cancel it and to reload during
// it. Should a much faster machine end it first, the test says so (t.diagnostic) instead of
// failing on the race.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiFromPage, jobIdOf, login, startFlow, waitForJob } from './helpers.mjs';

const kRows = 400_000;

function bigFile() {
  const lines = ['Email'];
  for (let i = 0; i < kRows; i += 1) lines.push(`leaver${i}@acme.example`);
  return `${lines.join('\n')}\n`;
}

test('a long check shows its progress, can be cancelled, and survives a reload', async (t) => {
  const { roster, page, shots, consoleErrors } = await startFlow(t, 'check-progress', {
    seed: (r) => r.addUsers([['anna.schmidt@acme.example', 'Anna', 'Schmidt']]),
  });
  const file = roster.file('everyone.csv', bigFile());

  await login(page, roster.baseUrl);
  await page.getByRole('link', { name: 'Import user data' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('Choose a file').setInputFiles(file);
  await page.getByRole('button', { name: 'Use row 1 as header' }).click({ timeout: 60_000 });
  await page.getByRole('heading', { name: 'Which column holds what?' }).waitFor();
  const id = jobIdOf(page);

  // 1. The progress, labelled like the run's, while the buttons wait.
  const started = Date.now();
  await page.getByRole('button', { name: 'Check the file' }).click();
  const progress = page.getByTestId('check-progress');
  await progress.waitFor();
  // Also "… rows read" where the total is not known, and "Saving …" once every row is read.
  const bar = page.getByLabel(
    /^(Checking the file: [\d,]+ (of about [\d,]+ rows|rows read)|Saving what the check found in [\d,]+ rows…)$/,
  );
  await bar.waitFor();
  assert.equal(await bar.evaluate((el) => el.tagName), 'PROGRESS');
  assert.equal(await page.getByRole('button', { name: 'Checking the file…' }).isDisabled(), true);
  assert.equal(await page.getByRole('button', { name: 'Back' }).isDisabled(), true);
  assert.equal(await page.locator('[data-attribute="email"] select').isDisabled(), true);
  await shots.take(page, 'checking');

  // 2. Cancelled: the job is not checked, the step says so and can check again.
  const before = (await apiFromPage(page, 'GET', `/api/v1/imports/${id}`)).json;
  const cancelled = page.locator('#check-error').filter({ hasText: 'The check was cancelled.' });
  const errors = page.getByRole('heading', { name: /^Fix [\d,]+ errors?$/ });
  if (before.state !== 'checking') {
    t.diagnostic(`the check ended after ${Date.now() - started} ms, before it could be cancelled`);
  } else {
    await progress.getByRole('button', { name: 'Cancel the check' }).click();
    await cancelled.or(errors).first().waitFor({ timeout: 60_000 });
    if ((await cancelled.count()) === 0) {
      t.diagnostic('the check ended while it was being cancelled: the errors are shown');
    } else {
      const job = await waitForJob(page, id, (j) => j.state !== 'checking');
      assert.equal(job.state, 'uploaded');
      assert.equal(job.error, 'The check was cancelled.');
      assert.equal(await progress.count(), 0);
      assert.equal(await page.getByRole('heading', { name: 'Which column holds what?' }).count(), 1);
      await shots.take(page, 'cancelled');

      // 3. Checked again; reloaded during the check: the progress again, then the errors.
      await page.getByRole('button', { name: 'Check the file again' }).click();
      await progress.waitFor();
      await page.reload();
      await progress.or(errors).first().waitFor({ timeout: 60_000 });
      if ((await progress.count()) === 1) {
        await page.getByRole('heading', { name: 'Which column holds what?' }).waitFor();
        await bar.waitFor();
        await shots.take(page, 'checking-after-reload');
      } else {
        t.diagnostic('the check ended before the reload came back');
      }
    }
  }

  // The check's end leads on: every row is an unknown address.
  await page.getByRole('heading', { name: 'Fix 400,000 errors' }).waitFor({ timeout: 120_000 });
  await page.locator('.issues-table tr[data-row="2"]').getByText('Not in the user list').waitFor();
  await shots.take(page, 'errors');
  const job = await waitForJob(page, id, (j) => j.state !== 'checking');
  assert.equal(job.state, 'mapped');
  assert.equal(job.counts.rows, kRows);
  assert.equal(roster.users().size, 1);
  assert.deepEqual(consoleErrors, []);
});
