// Flow 6: a visitor without a session sees only the login, on every address; a wrong password
// is explained next to the form; logging out returns to the login.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { owner, password, startFlow } from './helpers.mjs';

async function onlyLogin(page) {
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  assert.equal(await page.locator('nav').count(), 0, 'no navigation');
  assert.equal(await page.locator('table').count(), 0, 'no data');
  assert.equal(await page.getByText('Acme Corp').count(), 0, 'not even the organization');
  assert.equal(await page.getByRole('button', { name: 'Log out' }).count(), 0);
}

test('a logged-out visitor sees only the login', async (t) => {
  const { roster, page, shots, consoleErrors } = await startFlow(t, 'logged-out', {
    seed: (r) => r.addUsers([['anna.schmidt@acme.example', 'Anna', 'Schmidt']]),
  });

  for (const hash of ['', '#/users', '#/import', '#/audit', '#/templates']) {
    await page.goto(`${roster.baseUrl}/${hash}`);
    await onlyLogin(page);
  }
  await shots.take(page, 'login');
  const status = await page.evaluate(async () => (await fetch('/api/v1/users')).status);
  assert.equal(status, 401);

  // A wrong password: the message is shown by the form, nothing else appears.
  await page.getByLabel('Email', { exact: true }).fill(owner);
  await page.getByLabel('Password').fill('not-the-password-at-all');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const error = page.locator('.login-card [role="alert"]');
  await error.waitFor();
  assert.match(await error.innerText(), /wrong email or password/i);
  await onlyLogin(page);
  await shots.take(page, 'wrong-password');

  // Signing in leads to the deep link that was asked for.
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Templates' }).waitFor();
  await page.getByTestId('org-name').filter({ hasText: 'Acme Corp' }).waitFor();
  await page.getByTestId('admin-email').filter({ hasText: owner }).waitFor();
  await shots.take(page, 'signed-in');

  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByText('You have logged out.').waitFor();
  await onlyLogin(page);
  await page.goto(`${roster.baseUrl}/#/users`);
  await onlyLogin(page);
  const after = await page.evaluate(async () => (await fetch('/api/v1/users')).status);
  assert.equal(after, 401, 'the session is gone on the server too');
  await shots.take(page, 'logged-out');
  assert.deepEqual(consoleErrors, []);
});
