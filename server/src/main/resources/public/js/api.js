/**
 * Small fetch wrapper for the Royal Care API (docs/API.md).
 *
 *   api(method, path, body?, {headers, authRedirect, signal, timeoutMs}) → parsed JSON (or null for 204)
 *   newIdempotencyKey() → a fresh key for the `Idempotency-Key` header of one user action
 *
 * - always sends the session cookie (credentials: 'same-origin');
 * - a non-2xx answer throws ApiError carrying status, code, message, fields and the raw error
 *   object (e.g. `conflictingSlotId` on OVERLAP);
 * - any 401 returns the user to the sign-in page with a "session ended" message, unless
 *   `authRedirect: false` (the sign-in page itself). Pages call `markSignedIn()` once they have a
 *   confirmed session, so a 401 before that (a signed-out visitor) goes to sign-in without one.
 * - no request waits for ever: after `timeoutMs` (REQUEST_TIMEOUT_MS, 10 s, unless the caller asks
 *   for longer, e.g. a long poll) it is aborted and throws ApiError with status 0 and code
 *   TIMEOUT, whose message says that nothing may have been saved. The caller's own `signal`
 *   aborting still throws the AbortError.
 */
export const REQUEST_TIMEOUT_MS = 10000;
export const TIMEOUT_MESSAGE = 'The server did not answer in time; nothing may have been saved — try again.';

export class ApiError extends Error {
  constructor(status, error) {
    super(error?.message || `Request failed (${status}).`);
    this.status = status;
    this.code = error?.code || 'HTTP_' + status;
    this.fields = error?.fields || null;
    this.error = error || {};
  }
}

let signedIn = false;
let signingOut = false;
/** Marks that this page had a valid session: a later 401 means the session ended mid-use. */
export function markSignedIn() { signedIn = true; }

/** The user asked to sign out: the page leaves by itself, without a "session ended" message. */
export function markSigningOut() { signingOut = true; }

/**
 * Leaves the page for sign-in; `expired` adds the "your session ended" message, and the server's
 * 401 code ACCOUNT_DISABLED the "your account has been disabled" one instead.
 */
export function goToLogin(expired = signedIn, code = null) {
  if (signingOut || location.pathname.endsWith('/login.html')) return;
  const why = code === 'ACCOUNT_DISABLED' ? '?disabled=1' : expired ? '?expired=1' : '';
  location.replace('/login.html' + why);
}

/**
 * A key for one user action's create (`Idempotency-Key`): the page keeps it while the same action
 * is retried, so a retry after a lost answer stores nothing twice. crypto.randomUUID needs a
 * secure context (https or localhost); elsewhere the same 122 random bits come from getRandomValues.
 */
export function newIdempotencyKey() {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * The keys of one kind of user action (an "Add slot", an "Apply"): the same request sent again —
 * a retry after a timeout — reuses its key; another request, or one after an answer, gets a new
 * one. `headersFor(body)` gives the headers to send; `settled()` after any answer that is final.
 */
export function actionKeys() {
  let pending = null;
  return {
    headersFor(body) {
      const text = JSON.stringify(body);
      if (!pending || pending.body !== text) pending = { body: text, key: newIdempotencyKey() };
      return { 'Idempotency-Key': pending.key };
    },
    settled() { pending = null; },
  };
}

export async function api(method, path, body, { headers = {}, authRedirect = true, signal, timeoutMs = REQUEST_TIMEOUT_MS } = {}) {
  const abort = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => { timedOut = true; abort.abort(); }, timeoutMs);
  const onCallerAbort = () => abort.abort();
  if (signal) {
    if (signal.aborted) abort.abort();
    else signal.addEventListener('abort', onCallerAbort, { once: true });
  }
  const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json', ...headers }, signal: abort.signal };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  try {
    return await send(path, init, authRedirect);
  } catch (e) {
    if (timedOut) throw new ApiError(0, { code: 'TIMEOUT', message: TIMEOUT_MESSAGE });
    throw e;
  } finally {
    clearTimeout(timer);
    if (signal) signal.removeEventListener('abort', onCallerAbort);
  }
}

async function send(path, init, authRedirect) {
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, { code: 'NETWORK', message: 'The server cannot be reached. Check the connection and try again.' });
  }
  if (res.status === 204) return null;
  const text = await res.text(); // the timeout also covers a body that stops half-way
  let json = null;
  if (text) { try { json = JSON.parse(text); } catch { json = null; } }
  if (!res.ok) {
    if (res.status === 401 && authRedirect) {
      goToLogin(signedIn, json?.error?.code);
    }
    throw new ApiError(res.status, json?.error);
  }
  return json;
}

export const get = (path, opts) => api('GET', path, undefined, opts);
