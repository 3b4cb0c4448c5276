// Flow 2: a clean delete import confirmed without the cascade (the e-learning accounts stay,
// unlinked), and single deletes from the user list with and without the cascade.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { figure, login, startFlow } from './helpers.mjs';

const kUsers = [
  ['anna.schmidt@acme.example', 'Anna', 'Schmidt', { elearning: true }],
  ['ben.mueller@acme.example', 'Ben', 'Mueller', { elearning: true }],
  ['carla.rossi@acme.example', 'Carla', 'Rossi', { elearning: true }],
  ['dave.jones@acme.example', 'Dave', 'Jones', {}],
  ['erik.larsen@acme.example', 'Erik', 'Larsen', { elearning: true }],
];

test('delete import without the cascade keeps the accounts, unlinked', async (t) => {
  const { roster, page, shots, consoleErrors } = await startFlow(t, 'delete-keep', {
    seed: (r) => r.addUsers(kUsers),
  });
  const before = roster.users();
  const file = roster.file(
    'leavers.csv',
    'Email,Name\r\nanna.schmidt@acme.example,Anna\r\nben.mueller@acme.example,Ben\r\n',
  );

  await login(page, roster.baseUrl);
  await page.getByTestId('user-total').filter({ hasText: '5 users' }).waitFor();
  await page.getByRole('link', { name: 'Import user data' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('Choose a file').setInputFiles(file);

  // One sheet: straight to the header row, then the mapping; no errors: straight to the summary.
  await page.getByRole('heading', { name: 'Which row holds the column headers?' }).waitFor();
  await shots.take(page, 'header-row');
  await page.getByRole('button', { name: 'Use row 1 as header' }).click();
  await page.getByRole('heading', { name: 'Which column holds what?' }).waitFor();
  await page.locator('[data-attribute="email"]').getByText('matched automatically').waitFor();
  await page.getByRole('button', { name: 'Check the file' }).click();
  await page.getByRole('heading', { name: 'Summary' }).waitFor();
  assert.equal(await figure(page, 'to_delete'), 2);
  assert.equal(await figure(page, 'elearning_linked'), 2);
  await shots.take(page, 'summary');

  // The wizard's address names the job: a reload comes back to the same step.
  assert.match(page.url(), /#\/import\/\d+$/);
  await page.reload();
  await page.getByRole('heading', { name: 'Summary' }).waitFor();
  assert.equal(await figure(page, 'to_delete'), 2);

  // Escape cancels the confirmation; the focus returns to the button that opened it.
  await page.getByRole('button', { name: 'Delete 2 users…' }).focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Delete 2 users?' });
  await dialog.waitFor();
  assert.equal(
    await page.evaluate(() => document.activeElement?.textContent),
    'Cancel',
    'the safe choice has the focus',
  );
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  assert.equal(
    await page.evaluate(() => document.activeElement?.textContent),
    'Delete 2 users…',
  );
  assert.equal(roster.users().size, 5);

  await page.getByRole('button', { name: 'Delete 2 users…' }).click();
  assert.equal(
    await dialog.getByLabel('Also delete the 2 linked e-learning accounts').isChecked(),
    false,
  );
  await shots.take(page, 'confirm');
  await dialog.getByRole('button', { name: 'Delete 2 users' }).click();
  await page.getByRole('heading', { name: 'Done: 2 users deleted' }).waitFor();
  assert.equal(await figure(page, 'elearning_deleted'), 0);
  assert.equal(await figure(page, 'elearning_unlinked'), 2);
  await shots.take(page, 'result');

  await page.getByRole('link', { name: 'Back to the user list' }).click();
  await page.getByTestId('user-total').filter({ hasText: '3 users' }).waitFor();
  assert.equal(await page.locator('tr[data-email="anna.schmidt@acme.example"]').count(), 0);

  // Single delete of a linked user, with its account.
  await page.getByRole('button', { name: 'Delete carla.rossi@acme.example' }).click();
  let single = page.getByRole('dialog', { name: 'Delete this user?' });
  await single.getByLabel('Also delete the linked e-learning account').check();
  await shots.take(page, 'single-delete');
  await single.getByRole('button', { name: 'Delete user' }).click();
  await page.getByRole('status').filter({ hasText: 'carla.rossi@acme.example was deleted' }).waitFor();
  await page.getByTestId('user-total').filter({ hasText: '2 users' }).waitFor();

  // Single delete of a user without an account: no checkbox to offer.
  await page.getByRole('button', { name: 'Delete dave.jones@acme.example' }).click();
  single = page.getByRole('dialog', { name: 'Delete this user?' });
  await single.waitFor();
  assert.equal(await single.getByRole('checkbox').count(), 0);
  await single.getByRole('button', { name: 'Delete user' }).click();
  await page.getByTestId('user-total').filter({ hasText: '1 user' }).waitFor();
  await shots.take(page, 'users-after');

  assert.deepEqual([...roster.users().keys()], ['erik.larsen@acme.example']);
  // Added again, anna and ben find their old accounts waiting (they stayed, unlinked);
  // carla's was deleted with her.
  roster.addUsers([
    ['anna.schmidt@acme.example', 'Anna', 'Schmidt'],
    ['ben.mueller@acme.example', 'Ben', 'Mueller'],
    ['carla.rossi@acme.example', 'Carla', 'Rossi'],
  ]);
  const again = roster.users();
  for (const address of ['anna.schmidt@acme.example', 'ben.mueller@acme.example']) {
    assert.notEqual(before.get(address).elearning_account_id, null);
    assert.equal(again.get(address).elearning_account_id, before.get(address).elearning_account_id);
  }
  assert.equal(again.get('carla.rossi@acme.example').elearning_account_id, null);

  assert.deepEqual(consoleErrors, []);
});
