// The layout at a phone's width (390 px) and at 1280x720: the page never scrolls sideways,
// wide tables scroll inside their own container; paging of the user list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { login, pageWidth, startFlow } from './helpers.mjs';

const kPhone = { width: 390, height: 844 };

function seed(roster) {
  const users = [];
  for (let i = 1; i <= 30; i += 1) {
    const n = String(i).padStart(2, '0');
    users.push([
      `employee.with.a.rather.long.name${n}@acme.example`,
      `First${n}`,
      `Last${n}`,
      { department: 'Customer Success Operations', location: 'Berlin', elearning: i % 3 === 0 },
    ]);
  }
  roster.addUsers(users);
}

async function fits(page, what) {
  const width = await pageWidth(page);
  assert.ok(width <= kPhone.width, `${what}: the page is ${width}px wide`);
}

test('users page and wizard fit 390 px; tables scroll inside', async (t) => {
  const { roster, page, context, shots, consoleErrors } = await startFlow(t, 'layout-390', {
    seed,
    viewport: kPhone,
  });
  await page.goto(roster.baseUrl);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await fits(page, 'login');
  await shots.take(page, 'login');

  await login(page, roster.baseUrl);
  await page.getByTestId('user-total').filter({ hasText: '30 users' }).waitFor();
  await fits(page, 'users');
  const wrap = page.locator('.table-wrap');
  const scrolls = await wrap.evaluate((el) => el.scrollWidth > el.clientWidth);
  assert.ok(scrolls, 'the user table scrolls inside its container');
  await shots.take(page, 'users');

  // Paging: 25 a page.
  await page.getByText('1–25 of 30').waitFor();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByText('26–30 of 30').waitFor();
  assert.equal(await page.locator('.users-table tbody tr').count(), 5);
  await fits(page, 'users, page 2');

  await page.getByRole('link', { name: 'Import user data' }).click();
  await page.getByRole('heading', { name: 'What do you want to do?' }).waitFor();
  await fits(page, 'wizard: mode');
  await shots.take(page, 'wizard-mode');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('heading', { name: 'Upload your spreadsheet' }).waitFor();
  await fits(page, 'wizard: upload');
  await shots.take(page, 'wizard-upload');

  const rows = ['Email address,Department,Location,Comment that is rather long'];
  rows.push('employee.with.a.rather.long.name01@acme.example,Sales,Berlin,left in March');
  rows.push('employee.with.a.rather.long.name02@acme.exampel,Sales,Berlin,moved abroad');
  rows.push('not an address,Sales,Berlin,?');
  const file = roster.file('leavers.csv', `${rows.join('\n')}\n`);
  await page.getByLabel('Choose a file').setInputFiles(file);
  await page.getByRole('heading', { name: 'Which row holds the column headers?' }).waitFor();
  await fits(page, 'wizard: header row');
  await shots.take(page, 'wizard-header');
  await page.getByRole('button', { name: 'Use row 1 as header' }).click();
  await page.getByRole('heading', { name: 'Which column holds what?' }).waitFor();
  await fits(page, 'wizard: mapping');
  await shots.take(page, 'wizard-mapping');
  await page.getByRole('button', { name: 'Check the file' }).click();
  await page.getByRole('heading', { name: /^Fix \d+ errors?$/ }).waitFor();
  await page.locator('.issues-table tr[data-row]').first().waitFor();
  await fits(page, 'wizard: issues');
  await shots.take(page, 'wizard-issues');
  // A corrected file (saved under the same name) replaces the upload and is checked again.
  mkdirSync(path.join(roster.dir, 'corrected'));
  const corrected = roster.file(
    'corrected/leavers.csv',
    `${rows[0]}\n${rows[1]}\nemployee.with.a.rather.long.name02@acme.example,Sales,Berlin,moved\n`,
  );
  await page.getByLabel('Upload a corrected file').setInputFiles(corrected);
  await page.getByRole('heading', { name: 'All errors are resolved' }).waitFor();
  await page.getByRole('status').filter({ hasText: 'leavers.csv replaces' }).waitFor();
  await shots.take(page, 'wizard-corrected');
  await page.getByRole('button', { name: 'Continue to the summary' }).click();
  await page.getByRole('heading', { name: 'Summary' }).waitFor();
  await fits(page, 'wizard: summary');
  await shots.take(page, 'wizard-summary');
  await page.getByRole('button', { name: 'Delete 2 users…' }).click();
  await page.getByRole('dialog').waitFor();
  await fits(page, 'wizard: confirmation');
  await shots.take(page, 'wizard-confirm');
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();

  for (const [name, hash] of [
    ['templates', '#/templates'],
    ['audit', '#/audit'],
  ]) {
    await page.goto(`${roster.baseUrl}/${hash}`);
    await page.locator('main h1').waitFor();
    await fits(page, name);
    await shots.take(page, name);
  }

  // The same pages at 1280x720, for the screenshots and the same check.
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(`${roster.baseUrl}/#/users`);
  await page.getByTestId('user-total').filter({ hasText: '30 users' }).waitFor();
  assert.ok((await pageWidth(page)) <= 1280);
  await shots.take(page, 'users-1280');
  assert.deepEqual(consoleErrors, []);
  await context.close();
});
