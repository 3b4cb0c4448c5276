// "Upload a corrected file" in the error step: the new file replaces the upload, keeps the
// sheet, header row and mapping where it has them, and is checked again (the step waits for
// the check). A corrected file usually comes back under another name ("leavers (fixed).csv");
// one that turns out damaged further down is explained, and another one can follow.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { figure, login, startFlow, writeXlsx } from './helpers.mjs';

const kUsers = [
  ['anna.schmidt@acme.example', 'Anna', 'Schmidt'],
  ['ben.mueller@acme.example', 'Ben', 'Mueller'],
];

async function toIssues(page, baseUrl, file) {
  await login(page, baseUrl);
  await page.getByRole('link', { name: 'Import user data' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('Choose a file').setInputFiles(file);
  await page.getByRole('button', { name: 'Use row 1 as header' }).click();
  await page.getByRole('button', { name: 'Check the file' }).click();
  await page.getByRole('heading', { name: 'Fix 1 error' }).waitFor();
}

async function replaceAndContinue(page, shots, corrected) {
  await page.getByLabel('Upload a corrected file').setInputFiles(corrected);
  const name = path.basename(corrected);
  const outcome = page
    .getByRole('heading', { name: 'All errors are resolved' })
    .or(page.locator('#corrected-file-error'));
  await outcome.first().waitFor();
  await shots.take(page, 'after-corrected-file');
  const error = page.locator('#corrected-file-error');
  assert.equal(await error.count(), 0, `refused: ${(await error.allInnerTexts()).join()}`);
  await page.getByRole('status').filter({ hasText: `${name} replaces` }).waitFor();
  await page.getByRole('button', { name: 'Continue to the summary' }).click();
  assert.equal(await figure(page, 'to_delete'), 2);
}

/** `good`, then 30 duplicates of anna (rows 4 to 33), then a cell over the limit (row 34),
 * past the rows the upload and the preview read: only the check finds it. */
function damagedFile(good) {
  return `${good}${'anna.schmidt@acme.example\n'.repeat(30)}${'x'.repeat(40_000)}\n`;
}

test('a corrected .csv under another name replaces the upload', async (t) => {
  const { roster, page, shots } = await startFlow(t, 'corrected-csv', {
    seed: (r) => r.addUsers(kUsers),
  });
  const file = roster.file('leavers.csv', 'Email\nanna.schmidt@acme.example\nben.mueller@acme.exampel\n');
  await toIssues(page, roster.baseUrl, file);
  await shots.take(page, 'issues');
  const corrected = roster.file(
    'leavers-fixed.csv',
    'Email\nanna.schmidt@acme.example\nben.mueller@acme.example\n',
  );
  await replaceAndContinue(page, shots, corrected);
});

test('a corrected .xlsx under another name replaces the upload', async (t) => {
  const { roster, page, shots } = await startFlow(t, 'corrected-xlsx', {
    seed: (r) => r.addUsers(kUsers),
  });
  const rows = (second) => [['Email'], ['anna.schmidt@acme.example'], [second]];
  const file = await writeXlsx(path.join(roster.dir, 'leavers.xlsx'), [
    { name: 'Staff', rows: rows('ben.mueller@acme.exampel') },
  ]);
  await toIssues(page, roster.baseUrl, file);
  const corrected = await writeXlsx(path.join(roster.dir, 'leavers-fixed.xlsx'), [
    { name: 'Staff', rows: rows('ben.mueller@acme.example') },
  ]);
  await replaceAndContinue(page, shots, corrected);
});

test('a corrected file damaged further down is explained; the next one is checked', async (t) => {
  const { roster, page, shots, consoleErrors } = await startFlow(t, 'corrected-damaged', {
    seed: (r) => r.addUsers(kUsers),
  });
  const file = roster.file('leavers.csv', 'Email\nanna.schmidt@acme.example\nben.mueller@acme.exampel\n');
  await toIssues(page, roster.baseUrl, file);
  const good = 'Email\nanna.schmidt@acme.example\nben.mueller@acme.example\n';
  const damaged = roster.file('leavers-damaged.csv', damagedFile(good));
  await page.getByLabel('Upload a corrected file').setInputFiles(damaged);
  await page.getByRole('heading', { name: 'The file was not checked' }).waitFor({ timeout: 60_000 });
  const reason = page.locator('#check-error');
  assert.match(await reason.innerText(), /row 34.*longer than 32767 characters/);
  assert.equal(await page.getByRole('button', { name: 'Check the file again' }).isEnabled(), true);
  assert.equal(await page.locator('.issues-table').count(), 0, 'no stale issues');
  await shots.take(page, 'corrected-damaged');
  await replaceAndContinue(page, shots, roster.file('leavers-fixed.csv', good));
  assert.deepEqual(consoleErrors, []);
});
