/**
 * Small fetch wrapper for the Royal Care API (docs/API.md).
 *
 *   api(method, path, body?, {headers, authRedirect}) → parsed JSON (or null for 204)
 *
 * - always sends the session cookie (credentials: 'same-origin');
 * - a non-2xx answer throws ApiError carrying status, code, message, fields and the raw error
 *   object (e.g. `conflictingSlotId` on OVERLAP);
 * - any 401 returns the user to the sign-in page with a "session ended" message, unless
 *   `authRedirect: false` (the sign-in page itself). Pages call `markSignedIn()` once they have a
 *   confirmed session, so a 401 before that (a signed-out visitor) goes to sign-in without one.
 */
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

/** Leaves the page for sign-in; `expired` adds the "your session ended" message. */
export function goToLogin(expired = signedIn) {
  if (signingOut || location.pathname.endsWith('/login.html')) return;
  location.replace('/login.html' + (expired ? '?expired=1' : ''));
}

export async function api(method, path, body, { headers = {}, authRedirect = true, signal } = {}) {
  const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json', ...headers }, signal };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, { code: 'NETWORK', message: 'The server cannot be reached. Check the connection and try again.' });
  }
  if (res.status === 204) return null;
  const text = await res.text();
  let json = null;
  if (text) { try { json = JSON.parse(text); } catch { json = null; } }
  if (!res.ok) {
    if (res.status === 401 && authRedirect) {
      goToLogin();
    }
    throw new ApiError(res.status, json?.error);
  }
  return json;
}

export const get = (path, opts) => api('GET', path, undefined, opts);
