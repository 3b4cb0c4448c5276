// The HTTP API of `roster serve` (docs/api.md), typed for the console. Every call is relative
// to the page's origin and carries the session cookie; every change sends the CSRF token
// that the login (or GET /session) returned.

import type {
  AdminRole,
  AttributeKey,
  ErrorCode,
  ImportMode,
  IssueCode,
  JobState,
  Severity,
} from './generated/api_tables';

// The names the API sends for the server's enums (modes, states, issue codes, severities, roles,
// error codes, attribute keys), generated from the C++ tables; docs/development.md says how to
// regenerate them. A label map typed Record<IssueCode, string> fails the type check while a
// name has no label.
export * from './generated/api_tables';

export type Role = AdminRole;

export interface Session {
  admin: { id: number; email: string; role: Role };
  organization: {
    id: number;
    slug: string;
    name: string;
    default_language: string;
    domains: string[];
  };
  csrf_token: string;
}

export interface User {
  id: number;
  email: string;
  first_name: string;
  last_name: string;
  gender: string;
  academic_degree: string;
  language: string;
  address_type: string;
  manager_email: string;
  department: string;
  location: string;
  employee_id: string;
  active: boolean;
  created_at: number;
  updated_at: number;
  elearning_account_id: number | null;
  groups?: string[];
}

export interface UserPage {
  total: number;
  users: User[];
}

export interface Attribute {
  key: AttributeKey;
  label: string;
  required_delete: boolean;
  required_add_update: boolean;
}

export interface PreviewRow {
  number: number;
  cells: string[];
}

export interface Column {
  index: number;
  letter: string;
  header: string;
  attribute: AttributeKey | null;
  automatic: boolean;
}

export interface JobCounts {
  rows: number;
  empty_rows: number;
  excluded_rows: number;
  duplicates: number;
  errors: number;
  warnings: number;
  to_delete: number;
  elearning_linked: number;
  to_create: number;
  to_update: number;
  unchanged: number;
  deleted: number;
  elearning_deleted: number;
  elearning_unlinked: number;
  already_gone: number;
  created: number;
  updated: number;
}

export interface Job {
  id: number;
  /** One more with every change of the job (any tab, admin or check); sent back as If-Match. */
  version: number;
  mode: ImportMode;
  state: JobState;
  file_name: string;
  file_size: number;
  file_type: string;
  sheets: { name: string; visible: boolean }[];
  sheet: string;
  header_row: number;
  preview?: PreviewRow[];
  columns: Column[];
  mapping: Partial<Record<AttributeKey, string>>;
  counts: JobCounts;
  issue_counts: Partial<Record<IssueCode, number>>;
  excluded: number[];
  fixes: Record<string, string>;
  validated: boolean;
  delete_elearning_accounts: boolean;
  /** While checking: rows read of about `total` (0: not known), then `saving`; while running:
   * `writing`, users written of `total`. */
  progress: { phase: 'checking' | 'saving' | 'writing'; done: number; total: number };
  error: string;
  report_available: boolean;
  created_at: number;
  updated_at: number;
}

/** What a step of the wizard needs to name a job as it was shown. */
export type JobRef = Pick<Job, 'id' | 'version'>;

export interface Issue {
  row: number;
  column: string;
  value: string;
  code: IssueCode;
  severity: Severity;
  message: string;
  suggestion: string | null;
}

export interface AuditEvent {
  id: number;
  actor: string;
  action: string;
  at: number;
  details: Record<string, unknown>;
  address_hash_count?: number;
}

/** An answer of the API that is not a success, or a request that did not reach it. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field: string | null = null,
    /** With 409 `aborted` (the job changed since the version sent): the job as it is now. */
    readonly job?: Job,
  ) {
    super(message);
  }
}

/** A step refused because the job changed meanwhile (another tab, admin or check): the job
 * as it is now, to be shown instead. */
export function changedJob(error: unknown): Job | null {
  return hasErrorCode(error, 'aborted') && error.status === 409 && error.job ? error.job : null;
}

/** True for an answer of the API whose code is `code`, one of a Status (ErrorCode); the HTTP
 * layer's own codes (docs/api.md) and the console's (`network`, `http_<status>`) are strings. */
export function hasErrorCode(error: unknown, code: ErrorCode): error is ApiError {
  return error instanceof ApiError && error.code === code;
}

/** What the console says when a step met a job that changed since it was shown. */
export const kChangedMeanwhile =
  'This import was changed meanwhile (in another tab or by another admin). It is shown as it is now; check it and repeat what is still needed.';

let csrfToken = '';
let onUnauthenticated: (() => void) | null = null;

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/** Called when an answer says the session is gone (expired, or logged out in another tab). */
export function setUnauthenticatedHandler(handler: (() => void) | null): void {
  onUnauthenticated = handler;
}

const kFallbackMessages: Record<number, string> = {
  401: 'Please sign in again.',
  403: 'You are not allowed to do this.',
  404: 'This was not found. It may have been deleted.',
  413: 'The file is too large.',
  429: 'Too many attempts. Please wait a moment and try again.',
  500: 'Something went wrong on the server. Please try again.',
};

async function toApiError(response: Response): Promise<ApiError> {
  try {
    const body = await response.json();
    if (body && body.error && typeof body.error.message === 'string') {
      const job = body.job && typeof body.job === 'object' ? (body.job as Job) : undefined;
      return new ApiError(
        response.status,
        String(body.error.code ?? ''),
        body.error.message,
        body.error.field ?? null,
        job,
      );
    }
  } catch {
    // Not JSON: fall back to a message by status below.
  }
  return new ApiError(
    response.status,
    `http_${response.status}`,
    kFallbackMessages[response.status] ?? `The server answered ${response.status}.`,
  );
}

interface RequestOptions {
  /** The login and the first session check must not trigger the "session expired" handler. */
  quiet401?: boolean;
  /** A step of the import wizard: the version of the job it was decided on (If-Match). */
  version?: number;
}

async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  let payload: BodyInit | undefined;
  if (body instanceof FormData) {
    payload = body; // the browser sets the multipart boundary
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const isLogin = method === 'POST' && path === '/api/v1/session';
  if (method !== 'GET' && !isLogin) headers['X-CSRF-Token'] = csrfToken;
  if (options.version !== undefined) headers['If-Match'] = `"${options.version}"`;

  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  } catch {
    throw new ApiError(
      0,
      'network',
      'The server could not be reached. Check your connection and try again.',
    );
  }
  if (!response.ok) {
    const error = await toApiError(response);
    if (response.status === 401 && !options.quiet401 && onUnauthenticated) onUnauthenticated();
    throw error;
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

function query(params: Record<string, string | number | boolean | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export const api = {
  login: (email: string, password: string) =>
    request<Session>('POST', '/api/v1/session', { email, password }, { quiet401: true }),
  session: () => request<Session>('GET', '/api/v1/session', undefined, { quiet401: true }),
  logout: () => request<void>('DELETE', '/api/v1/session', undefined, { quiet401: true }),

  users: (params: { search: string; sort: string; order: string; limit: number; offset: number }) =>
    request<UserPage>('GET', `/api/v1/users${query(params)}`),
  deleteUser: (id: number, deleteElearning: boolean) =>
    request<void>('DELETE', `/api/v1/users/${id}${query({ delete_elearning: deleteElearning })}`),

  attributes: () => request<{ attributes: Attribute[] }>('GET', '/api/v1/attributes'),

  upload: (mode: ImportMode, file: File) => {
    const form = new FormData();
    form.set('mode', mode);
    form.set('file', file, file.name);
    return request<Job>('POST', '/api/v1/imports', form);
  },
  job: (id: number) => request<Job>('GET', `/api/v1/imports/${id}`),
  preview: (id: number, sheet: string) =>
    request<{ sheet: string; rows: PreviewRow[] }>(
      'GET',
      `/api/v1/imports/${id}/preview${query({ sheet })}`,
    ),
  // The steps of the wizard take the job as it was shown (its id and version) and send its
  // version as If-Match: a job that changed meanwhile answers 409 `aborted` with the job as
  // it is now (ApiError.job), and nothing is changed.
  chooseSheet: (job: JobRef, sheet: string, headerRow: number) =>
    request<Job>(
      'PUT',
      `/api/v1/imports/${job.id}/sheet`,
      { sheet, header_row: headerRow },
      { version: job.version },
    ),
  map: (job: JobRef, mapping: Record<string, string | null>) =>
    request<Job>('PUT', `/api/v1/imports/${job.id}/mapping`, { mapping }, { version: job.version }),
  /** Queues the check of the whole file: the job answers in state `checking` (waitForCheck). */
  validate: (job: JobRef) =>
    request<Job>('POST', `/api/v1/imports/${job.id}/validate`, undefined, { version: job.version }),
  /** Stops the job's check: the job reads `uploaded`, its error "The check was cancelled." */
  cancelCheck: (job: JobRef) =>
    request<Job>('DELETE', `/api/v1/imports/${job.id}/check`, undefined, { version: job.version }),
  issues: (id: number, offset: number, limit: number) =>
    request<{ total: number; issues: Issue[] }>(
      'GET',
      `/api/v1/imports/${id}/issues${query({ offset, limit })}`,
    ),
  // Each fix queues a new check: the job answers in state `checking`.
  fix: (job: JobRef, row: number, value: string) =>
    request<Job>('POST', `/api/v1/imports/${job.id}/fixes`, { row, value }, { version: job.version }),
  exclude: (job: JobRef, row: number) =>
    request<Job>('POST', `/api/v1/imports/${job.id}/exclusions`, { row }, { version: job.version }),
  excludeAllErrors: (job: JobRef) =>
    request<Job>(
      'POST',
      `/api/v1/imports/${job.id}/exclusions`,
      { all_errors: true },
      { version: job.version },
    ),
  include: (job: JobRef, row: number) =>
    request<Job>('DELETE', `/api/v1/imports/${job.id}/exclusions/${row}`, undefined, {
      version: job.version,
    }),
  replaceFile: (job: JobRef, file: File) => {
    const form = new FormData();
    form.set('file', file, file.name);
    return request<Job>('PUT', `/api/v1/imports/${job.id}/file`, form, { version: job.version });
  },
  /** The confirmation: runs the job only if it is still at the version whose summary was shown. */
  execute: (job: JobRef, deleteElearningAccounts: boolean) =>
    request<Job>(
      'POST',
      `/api/v1/imports/${job.id}/execute`,
      { delete_elearning_accounts: deleteElearningAccounts },
      { version: job.version },
    ),
  cancel: (job: JobRef) =>
    request<Job>('DELETE', `/api/v1/imports/${job.id}`, undefined, { version: job.version }),

  audit: (offset: number, limit: number) =>
    request<{ events: AuditEvent[] }>('GET', `/api/v1/audit${query({ offset, limit })}`),
};

/** The `error` of a job whose check was cancelled (DELETE .../check), as docs/api.md gives it. */
export const kCheckCancelled = 'The check was cancelled.';

/** How often a job is polled while its check runs. */
export const kCheckPollMs = 300;

/** Thrown by waitForCheck when its signal stopped it (the step was left). */
export class WaitStopped extends Error {
  constructor() {
    super('stopped');
  }
}

interface WaitOptions {
  /** Hears every job polled (for the progress), and the last one. */
  onJob?: (job: Job) => void;
  /** Hears a failed poll; the poll is tried again a little later. */
  onRetry?: (error: ApiError) => void;
  /** Stops the polling (the component unmounts): the promise rejects with WaitStopped. */
  signal?: AbortSignal;
}

/**
 * Polls the job every 300 ms while its check runs (state `checking`), and resolves with the
 * job as the check left it: `validated`, `mapped`, or `uploaded` with the reason in `error`
 * (a file that cannot be read as set, a cancelled check). A job that is not checking
 * resolves at once. Failed polls are retried (a moment's network trouble), except when the
 * job is gone or the session ended.
 */
export function waitForCheck(job: Job, options: WaitOptions = {}): Promise<Job> {
  const { onJob, onRetry, signal } = options;
  return new Promise<Job>((resolve, reject) => {
    if (job.state !== 'checking') return resolve(job);
    let timer = 0;
    const stop = () => {
      clearTimeout(timer);
      reject(new WaitStopped());
    };
    if (signal?.aborted) return stop();
    signal?.addEventListener('abort', stop, { once: true });
    const poll = async () => {
      let next: Job;
      try {
        next = await api.job(job.id);
      } catch (e) {
        if (signal?.aborted) return;
        const error = e instanceof ApiError ? e : new ApiError(0, 'network', String(e));
        if (error.status === 401 || error.status === 403 || error.status === 404) {
          signal?.removeEventListener('abort', stop);
          return reject(error);
        }
        onRetry?.(error);
        timer = window.setTimeout(poll, kCheckPollMs * 5);
        return;
      }
      if (signal?.aborted) return;
      onJob?.(next);
      if (next.state === 'checking') {
        timer = window.setTimeout(poll, kCheckPollMs);
      } else {
        signal?.removeEventListener('abort', stop);
        resolve(next);
      }
    };
    timer = window.setTimeout(poll, kCheckPollMs);
  });
}

/** Links the browser follows itself (downloads keep the session cookie). */
export const downloads = {
  template: (mode: ImportMode) => `/api/v1/template${query({ mode })}`,
  report: (id: number, format: 'xlsx' | 'csv') =>
    `/api/v1/imports/${id}/report${query({ format })}`,
  export: (format: 'xlsx' | 'csv') => `/api/v1/users/export${query({ format })}`,
};
