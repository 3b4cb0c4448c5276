// Flow 4: files that are not spreadsheets are refused with their reason shown next to the
// upload zone, and nothing is stored.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { apiFromPage, login, startFlow } from './helpers.mjs';

const kPdf = '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n';

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
