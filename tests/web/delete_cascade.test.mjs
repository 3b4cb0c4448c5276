// Flow 1: a delete import from an erroneous two-sheet workbook, every way of fixing an error
// used once, confirmed with the e-learning accounts deleted too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { figure, login, startFlow, writeXlsx } from './helpers.mjs';

const kUsers = [
  ['anna.schmidt@acme.example', 'Anna', 'Schmidt', { department: 'Sales', elearning: true }],
  ['ben.mueller@acme.example', 'Ben', 'Mueller', { department: 'Sales', elearning: true }],
  ['carla.rossi@acme.example', 'Carla', 'Rossi', { department: 'Finance', elearning: true }],
  ['dave.jones@acme.example', 'Dave', 'Jones', { department: 'Finance' }],
  ['erik.larsen@acme.example', 'Erik', 'Larsen', { department: 'IT' }],
  ['fiona.keller@acme.example', 'Fiona', 'Keller', { department: 'IT', elearning: true }],
  ['gina.weber@acme.example', 'Gina', 'Weber', { department: 'Legal' }],
];
const kDeleted = [
  'anna.schmidt@acme.example',
  'ben.mueller@acme.example',
  'carla.rossi@acme.example',
  'dave.jones@acme.example',
];
const kKept = ['erik.larsen@acme.example', 'fiona.keller@acme.example', 'gina.weber@acme.example'];

test('delete import: fix, suggestion, exclusion, confirmed with e-learning accounts', async (t) => {
  const { roster, page, shots, consoleErrors } = await startFlow(t, 'delete-cascade', {
    seed: (r) => r.addUsers(kUsers),
  });
  const before = roster.users();

  // A title in row 1, the header in row 2; a hidden archive sheet that must not be read.
  const file = await writeXlsx(path.join(roster.dir, 'leavers.xlsx'), [
    {
      name: 'Staff',
      rows: [
        ['Leavers, fourth quarter'],
        ['E-Mail-Adresse', 'Name'],
        ['anna.schmidt@acme.example', 'Anna Schmidt'],
        ['ben.mueller@acme.exmaple', 'Ben Mueller'], // misspelled domain: a suggestion
        [],
        ['carla.rossi@acme.example', 'Carla Rossi'],
        ['dave.jones at acme.example', 'Dave Jones'], // invalid: fixed in place
        ['nobody.here@acme.example', 'Nobody'], // unknown: excluded
        ['Anna.Schmidt@ACME.example', 'Anna again'], // duplicate: a warning only
      ],
    },
    {
      name: 'Archive',
      hidden: true,
      rows: [['E-Mail'], ['erik.larsen@acme.example'], ['fiona.keller@acme.example']],
    },
  ]);

  // Every change of the wizard names the version of the job it was decided on (If-Match).
  const steps = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (request.method() !== 'GET' && /^\/api\/v1\/imports\/\d+/.test(url.pathname)) {
      steps.push(`${request.method()} ${url.pathname} If-Match: ${request.headers()['if-match']}`);
    }
  });

  await login(page, roster.baseUrl);
  await page.getByTestId('user-total').filter({ hasText: '7 users' }).waitFor();
  await shots.take(page, 'users');

  // 1-2: Import user data, mode Delete.
  await page.getByRole('link', { name: 'Import user data' }).click();
  await page.getByRole('heading', { name: 'What do you want to do?' }).waitFor();
  assert.equal(await page.getByLabel('Delete users').isChecked(), true);
  await shots.take(page, 'mode');
  await page.getByRole('button', { name: 'Continue' }).click();

  // 3: the file, through the file picker of the drop zone.
  await page.getByRole('heading', { name: 'Upload your spreadsheet' }).waitFor();
  await shots.take(page, 'upload');
  await page.getByLabel('Choose a file').setInputFiles(file);

  // 4: two sheets, the hidden one marked, the visible one suggested.
  await page.getByRole('heading', { name: 'Which sheet holds the users?' }).waitFor();
  const archive = page.locator('label.choice', { hasText: 'Archive' });
  await archive.getByText('hidden sheet').waitFor();
  assert.equal(await page.getByRole('radio', { name: /Staff/ }).isChecked(), true);
  await shots.take(page, 'sheet');
  await page.getByRole('button', { name: 'Continue' }).click();

  // 5: row 1 is preselected; the header is in row 2.
  await page.getByRole('heading', { name: 'Which row holds the column headers?' }).waitFor();
  assert.equal(await page.getByRole('radio', { name: 'Row 1', exact: true }).isChecked(), true);
  await shots.take(page, 'header-row-1');
  await page.getByRole('radio', { name: 'Row 2', exact: true }).check();
  await page.getByRole('button', { name: 'Use row 2 as header' }).click();

  // 6: the German header is assigned to the email automatically; only it is required.
  await page.getByRole('heading', { name: 'Which column holds what?' }).waitFor();
  const email = page.locator('[data-attribute="email"]');
  assert.equal(await email.locator('select').inputValue(), 'E-Mail-Adresse');
  await email.getByText('matched automatically').waitFor();
  await email.getByText('required').waitFor();
  assert.equal(await page.locator('.mapping-label .required').count(), 1);
  await shots.take(page, 'mapping');
  await page.getByRole('button', { name: 'Check the file' }).click();

  // 7: three errors and the duplicate warning, each with row, value and reason.
  await page.getByRole('heading', { name: 'Fix 3 errors' }).waitFor();
  const row = (n) => page.locator(`.issues-table tr[data-row="${n}"]`);
  assert.equal(await row(4).locator('.value-cell').innerText(), 'ben.mueller@acme.exmaple');
  assert.equal(await row(7).locator('.value-cell').innerText(), 'dave.jones at acme.example');
  await row(7).getByText('Invalid address').waitFor();
  await row(8).getByText('Not in the user list').waitFor();
  await row(9).getByText('Duplicate address').waitFor();
  await shots.take(page, 'issues');

  // The suggestion for the misspelled domain.
  await row(4).getByRole('button', { name: 'Use suggestion: ben.mueller@acme.example' }).click();
  await page.getByRole('heading', { name: 'Fix 2 errors' }).waitFor();
  assert.equal(await row(4).count(), 0);

  // A correction that is still wrong is checked at once and stays an error ...
  const fix = row(7).getByLabel('Corrected value for row 7');
  await fix.fill('dave.jones@acme');
  await row(7).getByRole('button', { name: 'Save' }).click();
  await page.getByRole('status').filter({ hasText: 'Row 7: “dave.jones@acme” is not right yet' }).waitFor();
  await page.getByRole('heading', { name: 'Fix 2 errors' }).waitFor();
  assert.equal(await row(7).locator('.value-cell').innerText(), 'dave.jones@acme');
  await row(7).getByText('Invalid address').waitFor();
  await shots.take(page, 'issues-fix-still-wrong');
  // ... and the right one resolves it.
  await row(7).getByLabel('Corrected value for row 7').fill('dave.jones@acme.example');
  await row(7).getByRole('button', { name: 'Save' }).click();
  await page.getByRole('status').filter({ hasText: 'Row 7 is corrected.' }).waitFor();
  await page.getByRole('heading', { name: 'Fix 1 error' }).waitFor();
  assert.equal(await row(7).count(), 0);

  // The unknown address is excluded.
  await row(8).getByRole('button', { name: 'Exclude row' }).click();
  await page.getByRole('heading', { name: 'All errors are resolved' }).waitFor();
  await page.locator('.excluded-rows').getByText('Row 8').waitFor();
  await shots.take(page, 'issues-resolved');
  await page.getByRole('button', { name: 'Continue to the summary' }).click();

  // 8: the summary.
  await page.getByRole('heading', { name: 'Summary' }).waitFor();
  assert.equal(await figure(page, 'to_delete'), 4);
  assert.equal(await figure(page, 'elearning_linked'), 3);
  assert.equal(await figure(page, 'excluded_rows'), 1);
  assert.equal(await figure(page, 'duplicates'), 1);
  assert.equal(await figure(page, 'empty_rows'), 1);
  await shots.take(page, 'summary');

  // 9: the confirmation, a modal dialog that keeps the focus inside.
  await page.getByRole('button', { name: 'Delete 4 users…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete 4 users?' });
  await dialog.waitFor();
  const cascade = dialog.getByLabel('Also delete the 3 linked e-learning accounts');
  assert.equal(await cascade.isChecked(), false);
  await dialog.getByText('stay, unlinked, with their learning history').waitFor();
  for (let i = 0; i < 5; i += 1) {
    await page.keyboard.press('Tab');
    assert.equal(
      await page.evaluate(() => !!document.activeElement?.closest('dialog')),
      true,
      'the focus stays inside the dialog',
    );
  }
  await cascade.check();
  await shots.take(page, 'confirm');
  await dialog.getByRole('button', { name: 'Delete 4 users' }).click();

  // 10: progress, then the result with its reports.
  await page.getByRole('heading', { name: 'Done: 4 users deleted' }).waitFor();
  assert.equal(await figure(page, 'deleted'), 4);
  assert.equal(await figure(page, 'elearning_deleted'), 3);
  assert.equal(await figure(page, 'elearning_unlinked'), 0);
  await shots.take(page, 'result');
  for (const format of ['xlsx', 'csv']) {
    const link = page.getByRole('link', { name: `Download the report (.${format})` });
    const href = await link.getAttribute('href');
    const status = await page.evaluate(async (url) => (await fetch(url)).status, href);
    assert.equal(status, 200, `report .${format}`);
  }

  // The user list, updated.
  await page.getByRole('link', { name: 'Back to the user list' }).click();
  await page.getByTestId('user-total').filter({ hasText: '3 users' }).waitFor();
  const shown = await page.locator('.users-table tbody tr').evaluateAll((rows) =>
    rows.map((r) => r.getAttribute('data-email')),
  );
  assert.deepEqual(shown.sort(), kKept);
  await shots.take(page, 'users-after');

  // The audit log shows counts, not the deleted addresses.
  await page.getByRole('link', { name: 'Audit log' }).click();
  await page.getByRole('heading', { name: 'Audit log' }).waitFor();
  await page.locator('.audit-table tbody tr').first().waitFor();
  const audit = await page.locator('.audit-table').innerText();
  for (const address of kDeleted) assert.equal(audit.includes(address), false, address);
  await shots.take(page, 'audit');

  // sheet, validate, 2 fixes, a fix, an exclusion, execute: each with its version.
  assert.ok(steps.length >= 7, steps.join('\n'));
  for (const step of steps) assert.match(step, /If-Match: "\d+"$/, steps.join('\n'));
  assert.ok(steps.some((step) => step.startsWith('POST') && step.includes('/execute')));

  // Exactly the confirmed users are gone, the others untouched.
  const after = roster.users();
  assert.deepEqual([...after.keys()].sort(), kKept);
  for (const address of kKept) {
    assert.equal(after.get(address).id, before.get(address).id);
    assert.equal(after.get(address).elearning_account_id, before.get(address).elearning_account_id);
  }
  // Their accounts are gone too: added again, the users find no account waiting to link.
  roster.addUsers(
    kUsers
      .filter(([address]) => kDeleted.includes(address))
      .map(([address, first, last]) => [address, first, last]),
  );
  const again = roster.users();
  for (const address of kDeleted) assert.equal(again.get(address).elearning_account_id, null);

  assert.deepEqual(consoleErrors, []);
});
