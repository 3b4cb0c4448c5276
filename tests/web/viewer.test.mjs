// Flow 5: a viewer sees the list but no import or delete controls, and the API refuses a
// forced import with 403.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiFromPage, login, startFlow, viewer } from './helpers.mjs';

test('a viewer cannot import or delete', async (t) => {
  const { roster, page, shots, consoleErrors } = await startFlow(t, 'viewer', {
    seed: (r) => {
      r.addUsers([
        ['anna.schmidt@acme.example', 'Anna', 'Schmidt', { elearning: true }],
        ['ben.mueller@acme.example', 'Ben', 'Mueller'],
      ]);
      r.addViewer();
    },
  });

  await login(page, roster.baseUrl, viewer);
  await page.getByTestId('user-total').filter({ hasText: '2 users' }).waitFor();
  await page.getByTestId('admin-email').filter({ hasText: viewer }).waitFor();
  assert.equal(await page.getByRole('link', { name: 'Import user data' }).count(), 0);
  assert.equal(await page.getByRole('button', { name: /^Delete/ }).count(), 0);
  // The e-learning link is shown to viewers too.
  await page.locator('tr[data-email="anna.schmidt@acme.example"]').getByText('Linked').waitFor();
  await shots.take(page, 'users');

  // The wizard's address says no.
  await page.goto(`${roster.baseUrl}/#/import`);
  await page.getByText('cannot import or delete users').waitFor();
  assert.equal(await page.getByLabel('Choose a file').count(), 0);
  await shots.take(page, 'import-refused');

  // Forced through the API: 403 permission_denied, nothing stored or deleted.
  const csv = { name: 'leavers.csv', content: 'Email\nanna.schmidt@acme.example\n' };
  const upload = await apiFromPage(page, 'POST', '/api/v1/imports', {
    multipart: { mode: 'delete', file: csv },
  });
  assert.equal(upload.status, 403, upload.text);
  assert.equal(upload.json.error.code, 'permission_denied');
  const anna = roster.users().get('anna.schmidt@acme.example');
  const remove = await apiFromPage(page, 'DELETE', `/api/v1/users/${anna.id}`);
  assert.equal(remove.status, 403, remove.text);
  assert.equal(remove.json.error.code, 'permission_denied');
  assert.equal(roster.users().size, 2);

  // The templates and the audit log are readable.
  await page.getByRole('link', { name: 'Templates' }).click();
  const template = page.getByRole('link', { name: 'Download the delete template (.xlsx)' });
  const href = await template.getAttribute('href');
  const status = await page.evaluate(async (url) => (await fetch(url)).status, href);
  assert.equal(status, 200, 'the template downloads');
  await page.getByRole('link', { name: 'Audit log' }).click();
  await page.getByRole('heading', { name: 'Audit log' }).waitFor();
  assert.deepEqual(consoleErrors, []);
});
