// Shared set-up of the browser tests: a fresh SQLite database seeded with the real `roster`
// CLI, a real `roster serve` on a free port, Debian's Chromium driven by playwright-core,
// and a screenshot per step under build/web-screenshots/<flow>/.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const webRoot = path.join(repoRoot, 'web', 'dist');
export const password = 'web-test-password-42';
export const owner = 'owner@acme.example';
export const viewer = 'viewer@acme.example';

const kServerStartMs = 30_000;

function rosterBinary() {
  const binary = process.env.ROSTER_BINARY;
  if (!binary) throw new Error('set ROSTER_BINARY to the roster executable');
  if (!existsSync(path.join(webRoot, 'index.html'))) {
    throw new Error(`${webRoot} has no index.html: run scripts/web.sh first`);
  }
  return binary;
}

/** One organization "acme" in a temporary database, and `roster serve` on it. */
export class Roster {
  constructor(flow) {
    this.binary = rosterBinary();
    this.dir = mkdtempSync(path.join(tmpdir(), `roster-web-${flow}-`));
    this.db = `sqlite:${path.join(this.dir, 'roster.db')}`;
    this.env = { ...process.env, ROSTER_ADMIN_PASSWORD: password };
    this.server = null;
    this.baseUrl = '';
    this.serverOutput = '';
  }

  /** Runs `roster --db ... ARGS`; throws with its output when it fails. */
  cli(...args) {
    try {
      return execFileSync(this.binary, ['--db', this.db, ...args], {
        env: this.env,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      throw new Error(`roster ${args.join(' ')} failed: ${error.stderr || error.message}`);
    }
  }

  cliJson(...args) {
    return JSON.parse(this.cli(...args, '--json'));
  }

  /** The organization's users by email, via `roster users list --json`. */
  users() {
    const { users } = this.cliJson('users', 'list', '--org', 'acme', '--limit', '10000');
    return new Map(users.map((user) => [user.email, user]));
  }

  createOrg() {
    this.cli('org', 'create', 'acme', '--name', 'Acme Corp', '--domain', 'acme.example');
  }

  /** Adds users; each is [email, first, last, {department, location, elearning}]. */
  addUsers(users) {
    for (const [email, first, last, extra = {}] of users) {
      const args = ['users', 'add', '--org', 'acme', '--email', email];
      args.push('--first-name', first, '--last-name', last);
      if (extra.department) args.push('--department', extra.department);
      if (extra.location) args.push('--location', extra.location);
      this.cli(...args);
      if (extra.elearning) this.cli('elearning', 'create', '--org', 'acme', '--email', email);
    }
  }

  addViewer() {
    this.cli('admin', 'create', '--org', 'acme', '--email', viewer, '--role', 'viewer');
  }

  /** Another admin of acme (same password), e.g. one who changes a job meanwhile. */
  addAdmin(email) {
    this.cli('admin', 'create', '--org', 'acme', '--email', email, '--role', 'admin');
  }

  /** Starts `roster serve` on a free port; resolves once it says where it listens. */
  async serve() {
    const args = ['--db', this.db, 'serve', '--listen', '127.0.0.1:0', '--web-root', webRoot];
    const server = spawn(this.binary, args, { env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.server = server;
    const kill = () => server.kill('SIGKILL');
    process.on('exit', kill); // even when a test throws past its clean-up
    server.on('exit', () => process.off('exit', kill));
    server.stderr.on('data', (chunk) => (this.serverOutput += chunk));
    this.baseUrl = await new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`roster serve did not start: ${this.serverOutput}`)),
        kServerStartMs,
      );
      const lines = createInterface({ input: server.stdout });
      lines.on('line', (line) => {
        this.serverOutput += `${line}\n`;
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      server.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`roster serve exited with ${code}: ${this.serverOutput}`));
      });
    });
    return this.baseUrl;
  }

  async stop() {
    const server = this.server;
    if (server && server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      const timer = setTimeout(() => server.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Writes a file into the temporary folder and returns its path. */
  file(name, content) {
    const file = path.join(this.dir, name);
    writeFileSync(file, content);
    return file;
  }
}

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** Numbered screenshots of one flow: build/web-screenshots/<flow>/NN-<step>.png. */
export class Screenshots {
  constructor(flow) {
    this.dir = path.join(repoRoot, 'build', 'web-screenshots', flow);
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.dir, { recursive: true });
    this.count = 0;
  }

  async take(page, step) {
    this.count += 1;
    const name = `${String(this.count).padStart(2, '0')}-${step}.png`;
    await page.screenshot({ path: path.join(this.dir, name), fullPage: true });
  }
}

/**
 * Everything one flow needs: the seeded server, a browser page on it, screenshots, and a
 * clean-up registered with the test (it runs on failure too).
 */
export async function startFlow(t, flow, { seed, viewport = { width: 1280, height: 720 } }) {
  const roster = new Roster(flow);
  t.after(() => roster.stop());
  roster.createOrg();
  seed(roster);
  await roster.serve();
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const consoleErrors = [];
  page.on('pageerror', (error) => consoleErrors.push(String(error)));
  return { roster, browser, context, page, shots: new Screenshots(flow), consoleErrors };
}

export async function login(page, baseUrl, email = owner) {
  await page.goto(`${baseUrl}/`);
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Users', exact: true }).waitFor();
}

/**
 * The API, called from inside the page with its session cookie and CSRF token; `extra` adds
 * headers (e.g. If-Match). Answers {status, json, text, etag}.
 */
export function apiFromPage(page, method, url, body, extra = {}) {
  return page.evaluate(
    async ({ method, url, body, extra }) => {
      const session = await fetch('/api/v1/session', { credentials: 'same-origin' });
      const token = session.ok ? (await session.json()).csrf_token : '';
      const headers = { 'X-CSRF-Token': token, ...extra };
      let payload;
      if (body && body.multipart) {
        payload = new FormData();
        for (const [key, value] of Object.entries(body.multipart)) {
          if (typeof value === 'string') payload.set(key, value);
          else payload.set(key, new Blob([value.content]), value.name);
        }
      } else if (body !== undefined) {
        headers['Content-Type'] = 'application/json';
        payload = JSON.stringify(body);
      }
      const response = await fetch(url, {
        method,
        headers,
        body: payload,
        credentials: 'same-origin',
      });
      const text = await response.text();
      let json = null;
      try {
        json = JSON.parse(text);
      } catch {
        // not JSON
      }
      return { status: response.status, json, text, etag: response.headers.get('ETag') };
    },
    { method, url, body, extra },
  );
}

/** The id of the import the wizard in `page` shows (its address is #/import/ID). */
export function jobIdOf(page) {
  const match = /#\/import\/(\d+)$/.exec(page.url());
  if (!match) throw new Error(`the wizard names no job: ${page.url()}`);
  return Number(match[1]);
}

/**
 * Polls GET /api/v1/imports/ID (through `page`) until `done(job)` holds; fails after
 * `deadlineMs` listing the states and progress seen, so a slow or stuck check is explained.
 */
export async function waitForJob(page, id, done, deadlineMs = 60_000) {
  const seen = [];
  const until = Date.now() + deadlineMs;
  while (true) {
    const answer = await apiFromPage(page, 'GET', `/api/v1/imports/${id}`);
    const job = answer.json;
    const line = job?.state
      ? `${job.state} v${job.version} ${JSON.stringify(job.progress)}${job.error ? ` error: ${job.error}` : ''}`
      : `HTTP ${answer.status} ${answer.text.slice(0, 200)}`;
    if (seen[seen.length - 1] !== line) seen.push(line);
    if (job?.state && done(job)) return job;
    if (Date.now() > until) {
      throw new Error(`import ${id} did not get there in ${deadlineMs} ms; seen:\n${seen.join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Asserts that the page does not scroll sideways: everything fits `width` pixels. */
export async function pageWidth(page) {
  return page.evaluate(() => document.documentElement.scrollWidth);
}

/** The text of a summary/result figure by its data-count key. */
export async function figure(page, key) {
  const text = await page.locator(`[data-count="${key}"] dd`).innerText();
  return Number(text.replace(/[^0-9]/g, ''));
}

/** An xlsx workbook written by ExcelJS: sheets is [{name, rows, hidden}]. */
export async function writeXlsx(file, sheets) {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  for (const { name, rows, hidden } of sheets) {
    const sheet = workbook.addWorksheet(name, hidden ? { state: 'hidden' } : {});
    rows.forEach((row, index) => {
      if (row.length > 0) sheet.getRow(index + 1).values = row;
    });
  }
  await workbook.xlsx.writeFile(file);
  return file;
}

/** Simulates dropping a file on the upload zone (a real DataTransfer with a File). */
export async function dropFile(page, name, content, type = 'text/csv') {
  await page.evaluate(
    ({ name, content, type }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([content], name, { type }));
      const zone = document.querySelector('[data-testid="drop-zone"]');
      for (const kind of ['dragenter', 'dragover', 'drop']) {
        zone.dispatchEvent(
          new DragEvent(kind, { dataTransfer: transfer, bubbles: true, cancelable: true }),
        );
      }
    },
    { name, content, type },
  );
}
