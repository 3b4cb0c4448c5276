// Flow 3: an add/update import dropped on the upload zone; the erroneous row excluded with
// "Exclude all erroneous rows"; the created and updated users visible, searchable and
// sortable in the list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dropFile, figure, login, startFlow } from './helpers.mjs';

const kUsers = [
  ['anna.schmidt@acme.example', 'Anna', 'Schmidt', { department: 'Sales' }],
  ['ben.mueller@acme.example', 'Ben', 'Mueller', { department: 'Sales' }],
  ['zoe.adams@acme.example', 'Zoe', 'Adams', { department: 'Legal' }],
];

const kFile = [
  'Email,First name,Last name,Department',
  'hanna.new@acme.example,Hanna,Nowak,Research', // created
  'ivan.new@acme.example,Ivan,Young,Research', // created
  'anna.schmidt@acme.example,Anna,Schmidt,Finance', // updated
  'ben.mueller@acme.example,Ben,Mueller,Sales', // unchanged
  'eve@other.example,Eve,Outside,Sales', // domain not allowed: excluded
  '',
].join('\r\n');

test('add/update import: created and updated users in the list', async (t) => {
  const { roster, page, shots, consoleErrors } = await startFlow(t, 'add-update', {
    seed: (r) => r.addUsers(kUsers),
  });

  await login(page, roster.baseUrl);
  await page.getByRole('link', { name: 'Import user data' }).click();
  await page.getByLabel('Add and update users').check();
  await shots.take(page, 'mode');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('heading', { name: 'Upload your spreadsheet' }).waitFor();
  await dropFile(page, 'staff.csv', kFile);

  await page.getByRole('heading', { name: 'Which row holds the column headers?' }).waitFor();
  await page.getByRole('button', { name: 'Use row 1 as header' }).click();

  // Every column of the file is recognized; email, first and last name are required.
  await page.getByRole('heading', { name: 'Which column holds what?' }).waitFor();
  for (const [key, header] of [
    ['email', 'Email'],
    ['first_name', 'First name'],
    ['last_name', 'Last name'],
    ['department', 'Department'],
  ]) {
    const mapping = page.locator(`[data-attribute="${key}"]`);
    assert.equal(await mapping.locator('select').inputValue(), header, key);
    await mapping.getByText('matched automatically').waitFor();
  }
  for (const key of ['email', 'first_name', 'last_name']) {
    await page.locator(`[data-attribute="${key}"]`).getByText('required').waitFor();
  }
  await shots.take(page, 'mapping');

  // Unassigning a required column is refused next to it.
  await page.locator('[data-attribute="last_name"] select').selectOption('');
  await page.getByRole('button', { name: 'Check the file' }).click();
  await page.locator('[data-attribute="last_name"] .error-text').waitFor();
  await shots.take(page, 'mapping-missing');
  await page.locator('[data-attribute="last_name"] select').selectOption('Last name');
  await page.getByRole('button', { name: 'Check the file' }).click();

  await page.getByRole('heading', { name: 'Fix 1 error' }).waitFor();
  await page.locator('.issues-table tr[data-row="6"]').getByText('Domain not allowed').waitFor();
  await shots.take(page, 'issues');
  await page.getByRole('button', { name: 'Exclude all erroneous rows' }).click();
  await page.getByRole('heading', { name: 'All errors are resolved' }).waitFor();
  await page.getByRole('button', { name: 'Continue to the summary' }).click();

  await page.getByRole('heading', { name: 'Summary' }).waitFor();
  assert.equal(await figure(page, 'to_create'), 2);
  assert.equal(await figure(page, 'to_update'), 1);
  assert.equal(await figure(page, 'unchanged'), 1);
  assert.equal(await figure(page, 'excluded_rows'), 1);
  await shots.take(page, 'summary');
  await page.getByRole('button', { name: 'Apply the changes…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create 2 users and update 1?' });
  await shots.take(page, 'confirm');
  await dialog.getByRole('button', { name: 'Apply the changes' }).click();

  await page.getByRole('heading', { name: 'Done: 2 created, 1 updated' }).waitFor();
  assert.equal(await figure(page, 'created'), 2);
  assert.equal(await figure(page, 'updated'), 1);
  await shots.take(page, 'result');
  await page.getByRole('link', { name: 'Back to the user list' }).click();
  await page.getByTestId('user-total').filter({ hasText: '5 users' }).waitFor();

  const row = (email) => page.locator(`.users-table tr[data-email="${email}"]`);
  await row('hanna.new@acme.example').getByText('Research').waitFor();
  await row('ivan.new@acme.example').getByText('Research').waitFor();
  await row('anna.schmidt@acme.example').getByText('Finance').waitFor();
  assert.equal(await row('eve@other.example').count(), 0);

  // Search (debounced) ...
  await page.getByLabel('Search users').fill('hanna');
  await page.getByTestId('user-total').filter({ hasText: '1 user found' }).waitFor();
  await shots.take(page, 'search');
  await page.getByLabel('Search users').fill('');
  await page.getByTestId('user-total').filter({ hasText: '5 users in total' }).waitFor();

  // ... and sorting by a column header, both ways.
  const lastNames = () =>
    page.locator('.users-table tbody tr td:nth-child(3)').evaluateAll((c) => c.map((x) => x.textContent));
  const header = page.locator('th', { hasText: 'Last name' });
  await header.getByRole('button').click();
  await page.locator('th[aria-sort="ascending"]', { hasText: 'Last name' }).waitFor();
  await page.waitForFunction(
    () => document.querySelector('.users-table tbody tr td:nth-child(3)')?.textContent === 'Adams',
  );
  assert.deepEqual(await lastNames(), ['Adams', 'Mueller', 'Nowak', 'Schmidt', 'Young']);
  await header.getByRole('button').click();
  await page.locator('th[aria-sort="descending"]', { hasText: 'Last name' }).waitFor();
  await page.waitForFunction(
    () => document.querySelector('.users-table tbody tr td:nth-child(3)')?.textContent === 'Young',
  );
  assert.deepEqual(await lastNames(), ['Young', 'Schmidt', 'Nowak', 'Mueller', 'Adams']);
  await shots.take(page, 'sorted');

  const users = roster.users();
  assert.equal(users.get('hanna.new@acme.example').last_name, 'Nowak');
  assert.equal(users.get('anna.schmidt@acme.example').department, 'Finance');
  assert.equal(users.has('eve@other.example'), false);
  assert.deepEqual(consoleErrors, []);
});
