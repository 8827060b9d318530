/**
 * sync-client.js — live changes for every view, over ONE server stream per browser.
 *
 * API
 *   subscribe(filter, onChange) → unsubscribe()
 *       filter = {
 *         since:    number,               // seq of the snapshot the view just loaded (required)
 *         staffIds: Array<string|number>, // only these staff (omit = everyone the user may see)
 *         from, to: 'YYYY-MM-DD',         // only changes whose date is in [from, to]
 *         types:    string[],             // only these change types
 *         include:  (change) => boolean,  // also deliver changes this accepts (e.g. a slot the
 *                                         // view shows whose date moved out of range)
 *       }
 *       onChange(change) is called once per matching change with seq > since, in seq order;
 *       change = {seq, type, at, actorId, staffId, date, data}. Two types mean "refetch your
 *       scope": `reset` (history gone; {type:'reset', seq}) and `global_refresh` (in scope). A view
 *       then loads a new snapshot, unsubscribes and subscribes again from the new snapshot's seq.
 *   status                'connecting' | 'live' | 'reconnecting' | 'polling'   (live binding)
 *   STATUS_TEXT[status]   the indicator's words ("Live", "Reconnecting", "Offline — polling")
 *   onStatus(cb) → off    cb(status) now and on every change
 *   lastSeq               highest seq this tab has seen, or null before the first subscribe
 *   stats()               {role, lastSeq, subscriptions, buffered, …} for tests and debugging
 *
 * How (see docs/API.md "Live sync")
 *   - Tabs elect a leader with the Web Locks API (lock 'rcs-sync-leader'). The leader holds the
 *     only EventSource (`/api/events?since=<lastSeq>`), dispatches each change to its own views
 *     and relays it over BroadcastChannel 'rcs-sync' (which never echoes to the sender). Every
 *     relayed change carries `after` = the leader's previous seq, so a tab notices a hole in its
 *     feed and fills it from `/api/changes?since=`. The leader heartbeats every 2 s; followers
 *     steal the lock when it has been quiet for 8 s (frozen tab). Closing the leader tab releases
 *     the lock and the next tab takes over from its own last seq. Without Web Locks or
 *     BroadcastChannel each tab is its own leader (one stream per tab).
 *   - The stream is opened without view filters: one stream serves every tab and view, the server
 *     authorises what the account may see, and each subscription filters locally. A subscription
 *     whose `since` is older than this tab's feed is first filled from `/api/changes` with its
 *     own filters (server-side), live changes queued meanwhile, so nothing is missed or doubled.
 *   - Dedupe: a change with seq <= lastSeq is dropped; each subscription also keeps its own seq.
 *     A writer's own optimistic update is deduped by slot version in the view (slot-store.js).
 *   - Stream errors and `event: closed`: probe `/api/sync/head`; 401/403 → sign-in page ("session ended", all tabs);
 *     server unreachable → "reconnecting" with backoff, resuming from lastSeq; server reachable
 *     but the stream twice fails to open (a proxy blocks it) → long-poll
 *     `/api/changes?since=&wait=25` ("Offline — polling"), retrying the stream every 60 s.
 *   - Every 30 s the leader compares `/api/sync/head` with lastSeq and fetches anything missed.
 */
import { api, goToLogin } from './api.js';

export const STATUS_TEXT = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting',
  polling: 'Offline — polling',
};

const LOCK = 'rcs-sync-leader';
const CHANNEL = 'rcs-sync';
const HEARTBEAT_MS = 2000;
const LEADER_QUIET_MS = 8000;
const HEAD_CHECK_MS = 30000;
const OPEN_TIMEOUT_MS = 10000;
const STREAM_RETRY_WHILE_POLLING_MS = 60000;
const BUFFER_MAX = 500;
const TAB_ID = Math.random().toString(36).slice(2);

/** Current connection state (live binding). */
export let status = 'connecting';
/** Highest seq this tab has seen (live binding). */
export let lastSeq = null;

let coveredFrom = null; // the feed holds every change in (coveredFrom, lastSeq]
const buffer = [];      // recent changes, ascending seq, for subscriptions that start in the past
const subs = new Set();
const statusListeners = new Set();

let started = false;
let role = 'none';      // 'leader' | 'follower' | 'solo' | 'none'
let channel = null;
let releaseLock = null; // resolves the held lock's callback
let lockAbort = null;   // aborts a queued lock request
let lockTicket = null;  // the campaign currently in force; older ones ignore their outcome
let lastLeaderHeard = 0;
let hbTimer = null;
let timers = [];
let gapFill = null;     // in-flight catch-up: Promise, while incoming items wait in `held`
let held = [];

// Leader-only transport state.
let es = null;
let openTimer = null;
let reconnectTimer = null;
let downFailures = 0;    // server unreachable in a row (backoff)
let blockedFailures = 0; // server reachable but the stream did not open, in a row (proxy)
let openedOnce = false;
let openedAt = 0;
let polling = false;
let pollAbort = null;
let generation = 0;     // bumps on step-down: stale async work checks it and stops

// ---------------------------------------------------------------------------------- public API

export function subscribe(filter, onChange) {
  if (!filter || typeof filter.since !== 'number') throw new TypeError('subscribe: filter.since (snapshot seq) is required');
  const sub = {
    filter: normalise(filter),
    onChange,
    seq: filter.since,
    pending: null,       // array while this subscription is being filled from the server
    closed: false,
  };
  subs.add(sub);
  if (lastSeq === null) {
    lastSeq = coveredFrom = filter.since;
  } else if (filter.since >= coveredFrom) {
    for (const ev of buffer) if (ev.seq > sub.seq) deliver(sub, ev);
  } else {
    fillSubscription(sub);
  }
  start();
  return () => {
    sub.closed = true;
    subs.delete(sub);
  };
}

export function onStatus(cb) {
  statusListeners.add(cb);
  cb(status);
  return () => statusListeners.delete(cb);
}

export function stats() {
  return { role, lastSeq, coveredFrom, subscriptions: subs.size, buffered: buffer.length, status, polling, downFailures };
}

// ------------------------------------------------------------------------ feed and dispatching

function normalise(f) {
  return {
    staffIds: f.staffIds ? f.staffIds.map(String) : null,
    from: f.from || null,
    to: f.to || null,
    types: f.types || null,
    include: f.include || null,
  };
}

function matches(f, ev) {
  if (ev.type === 'reset') return true;
  if (f.include && f.include(ev)) return true;
  if (f.types && ev.type !== 'global_refresh' && !f.types.includes(ev.type)) return false;
  if (f.staffIds && ev.staffId != null && !f.staffIds.includes(String(ev.staffId))) return false;
  if (ev.date != null) {
    if (f.from && ev.date < f.from) return false;
    if (f.to && ev.date > f.to) return false;
  }
  return true;
}

function deliver(sub, ev) {
  if (sub.closed) return;
  if (sub.pending) { sub.pending.push(ev); return; }
  if (ev.type !== 'reset' && ev.seq <= sub.seq) return;
  sub.seq = Math.max(sub.seq, ev.seq);
  if (!matches(sub.filter, ev)) return;
  try { sub.onChange(ev); } catch (e) { console.error('sync subscriber failed', e); }
}

/**
 * One item of the feed: `ev` (a change, or null for "nothing happened up to seq") that follows
 * `after`. Items arrive in seq order from the stream, a poll, a catch-up or the leader tab.
 */
function ingest(after, seq, ev) {
  if (gapFill) { held.push([after, seq, ev]); return; }
  if (lastSeq === null) lastSeq = coveredFrom = after;
  if (seq <= lastSeq) return;
  if (after > lastSeq) { // a hole: fetch what lies between, then carry on
    held.push([after, seq, ev]);
    fillFeedGap();
    return;
  }
  lastSeq = seq;
  if (!ev) return;
  buffer.push(ev);
  if (buffer.length > BUFFER_MAX) coveredFrom = buffer.shift().seq;
  for (const sub of [...subs]) deliver(sub, ev);
}

function applyReset(seq) {
  lastSeq = coveredFrom = seq;
  buffer.length = 0;
  const ev = { type: 'reset', seq };
  for (const sub of [...subs]) { sub.seq = seq; if (sub.pending) sub.pending = []; deliver(sub, ev); }
}

function ingestBatch(res, relay) {
  if (res.reset) {
    applyReset(res.seq);
    if (relay) post({ t: 'reset', seq: res.seq });
    return;
  }
  for (const ev of res.events || []) {
    const after = lastSeq;
    if (ev.seq <= after) continue;
    ingest(after, ev.seq, ev);
    if (relay) post({ t: 'ev', after, seq: ev.seq, ev });
  }
  if (lastSeq !== null && res.seq > lastSeq) {
    const after = lastSeq;
    ingest(after, res.seq, null);
    if (relay) post({ t: 'adv', after, seq: res.seq });
  }
}

function changesUrl(since, f, wait) {
  const p = new URLSearchParams({ since: String(since) });
  if (wait) p.set('wait', String(wait));
  if (f) {
    for (const id of f.staffIds || []) p.append('staffId', id);
    if (f.from) p.set('from', f.from);
    if (f.to) p.set('to', f.to);
    if (f.types) p.set('types', [...f.types, 'global_refresh'].join(','));
  }
  return '/api/changes?' + p;
}

async function fillFeedGap() {
  if (gapFill) return;
  gapFill = true;
  let res = null;
  while (started) {
    try { res = await api('GET', changesUrl(lastSeq)); break; }
    catch (e) { if (await onTransportError(e)) return; await delay(2000); }
  }
  gapFill = null;
  if (res) ingestBatch(res, isLeading());
  const again = held;
  held = [];
  for (const item of again) ingest(...item);
}

async function fillSubscription(sub) {
  sub.pending = [];
  let res = null;
  while (!sub.closed) {
    try { res = await api('GET', changesUrl(sub.seq, sub.filter)); break; }
    catch (e) { if (e.status === 401 || e.status === 403) return; await delay(2000); }
  }
  if (sub.closed) return;
  const queued = sub.pending;
  sub.pending = null;
  if (res.reset) deliver(sub, { type: 'reset', seq: res.seq });
  else for (const ev of res.events || []) deliver(sub, ev);
  if (!res.reset) sub.seq = Math.max(sub.seq, res.seq);
  for (const ev of queued) deliver(sub, ev);
}

// -------------------------------------------------------------------------- election and relay

function start() {
  if (started) return;
  started = true;
  generation++;
  timers.push(setInterval(headCheck, HEAD_CHECK_MS));
  if (navigator.locks && typeof BroadcastChannel === 'function') {
    channel = new BroadcastChannel(CHANNEL);
    channel.onmessage = (e) => onMessage(e.data);
    role = 'follower';
    lastLeaderHeard = Date.now();
    post({ t: 'hello' });
    campaign(false);
    timers.push(setInterval(watchLeader, HEARTBEAT_MS));
  } else {
    role = 'solo';
    lead();
  }
}

function stop() {
  if (!started) return;
  started = false;
  generation++;
  lockTicket = null;
  clearInterval(hbTimer);
  timers.forEach(clearInterval);
  timers = [];
  closeTransport();
  if (releaseLock) releaseLock();
  if (lockAbort) lockAbort.abort();
  releaseLock = lockAbort = null;
  if (channel) channel.close();
  channel = null;
  role = 'none';
}

function campaign(steal) {
  const ticket = {};
  lockTicket = ticket;
  const opts = {};
  if (steal) opts.steal = true;
  else { lockAbort = new AbortController(); opts.signal = lockAbort.signal; }
  navigator.locks.request(LOCK, opts, () => {
    if (lockTicket !== ticket || !started) return undefined;
    lockAbort = null;
    return new Promise((resolve) => {
      releaseLock = resolve;
      role = 'leader';
      lead();
    });
  }).catch(() => {
    // Our held lock was stolen by a tab that found us quiet: step down and queue up again.
    if (lockTicket !== ticket || !started) return;
    if (role === 'leader') stepDown();
    campaign(false);
  });
}

function stepDown() {
  generation++;
  closeTransport();
  clearInterval(hbTimer);
  releaseLock = null;
  role = 'follower';
  lastLeaderHeard = Date.now();
}

/** Followers: a leader quiet for LEADER_QUIET_MS is frozen or gone; steal its lock. */
function watchLeader() {
  if (role !== 'follower' || Date.now() - lastLeaderHeard < LEADER_QUIET_MS) return;
  const quietSince = lastLeaderHeard;
  setTimeout(() => { // jitter, so that several followers do not all steal at once
    if (role !== 'follower' || !started || lastLeaderHeard !== quietSince) return;
    lastLeaderHeard = Date.now();
    if (lockAbort) lockAbort.abort();
    lockAbort = null;
    campaign(true);
  }, Math.random() * 1000);
}

function post(msg) {
  if (channel) channel.postMessage({ ...msg, from: TAB_ID });
}

function onMessage(m) {
  if (!m || m.from === TAB_ID) return;
  if (m.t === 'hello') { if (role === 'leader') post({ t: 'hb', status, seq: lastSeq }); return; }
  if (m.t === 'auth') { goToLogin(true); return; }
  if (role === 'leader') return; // two leaders for a moment (a steal): ours is the truth
  lastLeaderHeard = Date.now();
  switch (m.t) {
    case 'hb':
      setStatus(m.status);
      // The leader is further than this tab (it joined late): fetch the difference.
      if (lastSeq !== null && m.seq != null && m.seq > lastSeq) ingest(m.seq, m.seq, null);
      break;
    case 'status': setStatus(m.status); break;
    case 'ev': if (lastSeq !== null) ingest(m.after, m.seq, m.ev); break;
    case 'adv': if (lastSeq !== null) ingest(m.after, m.seq, null); break;
    case 'reset': if (lastSeq !== null) applyReset(m.seq); break;
    default: break;
  }
}

function setStatus(s) {
  if (!s || s === status) return;
  status = s;
  if (role === 'leader') post({ t: 'status', status: s });
  for (const cb of [...statusListeners]) { try { cb(s); } catch (e) { console.error(e); } }
}

// ------------------------------------------------------------------ the leader's transport

async function lead() {
  const gen = generation;
  if (role === 'leader') {
    clearInterval(hbTimer);
    hbTimer = setInterval(() => post({ t: 'hb', status, seq: lastSeq }), HEARTBEAT_MS);
  }
  if (status === 'live') setStatus('reconnecting'); // taking over: live again once our stream opens
  post({ t: 'status', status });
  downFailures = blockedFailures = 0;
  openedOnce = false;
  while (lastSeq === null && gen === generation) {
    try { const h = await api('GET', '/api/sync/head'); if (lastSeq === null) lastSeq = coveredFrom = h.seq; }
    catch (e) { if (await onTransportError(e)) return; await delay(2000); }
  }
  if (gen === generation) openStream();
}

function isLeading() { return role === 'leader' || role === 'solo'; }

function openStream() {
  if (!isLeading()) return;
  closeStream();
  const gen = generation;
  const source = new EventSource('/api/events?since=' + encodeURIComponent(lastSeq));
  es = source;
  const onEvent = (e) => {
    if (es !== source) return;
    let ev;
    try { ev = JSON.parse(e.data); } catch { return; }
    if (e.type === 'reset') { applyReset(Number(ev.seq)); post({ t: 'reset', seq: Number(ev.seq) }); return; }
    if (ev.seq == null) ev.seq = Number(e.lastEventId);
    const after = lastSeq;
    if (ev.seq <= after) return;
    ingest(after, ev.seq, ev);
    post({ t: 'ev', after, seq: ev.seq, ev });
  };
  for (const type of ['availability_created', 'availability_updated', 'availability_deleted',
    'staff_updated', 'global_refresh', 'reset', 'message']) source.addEventListener(type, onEvent);
  // The server ends a stream on purpose with `event: closed` {reason: signed_out | disabled |
  // shutdown}: stop the browser's own retry and decide here (sign-in page, or reconnect with backoff).
  source.addEventListener('closed', (e) => {
    if (es !== source) return;
    // issue 12: remember why, so the sign-in page can say "your account was disabled"
    try { if (JSON.parse(e.data).reason === 'disabled') localStorage.setItem('rcs-ended', 'disabled'); } catch { /* no reason given */ }
    closeStream();
    if (gen === generation) onStreamFailed();
  });
  source.onopen = () => {
    if (es !== source) return;
    clearTimeout(openTimer);
    blockedFailures = 0;
    openedOnce = true;
    openedAt = Date.now();
    if (polling) stopPolling();
    setStatus('live');
  };
  source.onerror = () => {
    if (es !== source) return;
    closeStream();
    if (gen === generation) onStreamFailed();
  };
  openTimer = setTimeout(() => {
    if (es === source && source.readyState !== EventSource.OPEN) { closeStream(); onStreamFailed(); }
  }, OPEN_TIMEOUT_MS);
}

async function onStreamFailed() {
  const gen = generation;
  const wasOpen = openedOnce;
  openedOnce = false;
  if (!polling) setStatus('reconnecting');
  let serverUp = false;
  try { await api('GET', '/api/sync/head'); serverUp = true; }
  catch (e) { if (await onTransportError(e)) return; }
  if (gen !== generation || !isLeading()) return;
  let wait;
  if (!serverUp) {
    wait = backoff(++downFailures);                  // server gone (restart, network): retry
  } else if (wasOpen && Date.now() - openedAt > 5000) {
    downFailures = 0;
    wait = 0;                                         // a dropped stream: resume at once
  } else if (wasOpen) {
    wait = backoff(++downFailures);                   // opens, then drops at once: do not hammer
  } else {
    downFailures = 0;
    if (++blockedFailures >= 2 && !polling) startPolling(); // reachable but no stream: a proxy
    wait = polling ? STREAM_RETRY_WHILE_POLLING_MS : backoff(blockedFailures);
  }
  clearTimeout(reconnectTimer);
  reconnectTimer = setTimeout(() => { if (gen === generation && isLeading()) openStream(); }, wait);
}

/** Handles 401/403 (account gone): tells every tab and leaves. Returns true when it did. */
async function onTransportError(e) {
  if (e && (e.status === 401 || e.status === 403)) {
    post({ t: 'auth' });
    goToLogin(true);
    stop();
    return true;
  }
  return false;
}

function backoff(n) { return Math.min(250 * 2 ** Math.max(0, n - 1), 5000) * (0.75 + Math.random() * 0.5); }

function startPolling() {
  polling = true;
  setStatus('polling');
  const gen = generation;
  (async () => {
    let errors = 0;
    while (polling && gen === generation && isLeading()) {
      pollAbort = new AbortController();
      try {
        const res = await api('GET', changesUrl(lastSeq, null, 25), undefined, { signal: pollAbort.signal });
        errors = 0;
        if (polling && gen === generation) ingestBatch(res, true);
      } catch (e) {
        if (e.name === 'AbortError') return;
        if (await onTransportError(e)) return;
        await delay(backoff(++errors));
      }
    }
  })();
}

function stopPolling() {
  polling = false;
  if (pollAbort) pollAbort.abort();
  pollAbort = null;
}

function closeStream() {
  clearTimeout(openTimer);
  if (es) { es.close(); es = null; }
}

function closeTransport() {
  closeStream();
  stopPolling();
  clearTimeout(reconnectTimer);
}

async function headCheck() {
  if (!isLeading() || lastSeq === null || gapFill) return;
  try {
    const head = await api('GET', '/api/sync/head');
    if (head.seq > lastSeq && isLeading()) {
      const res = await api('GET', changesUrl(lastSeq));
      const before = lastSeq;
      ingestBatch(res, true);
      if ((res.events || []).some((ev) => ev.seq > before)) console.warn('sync: head check found changes the stream had not delivered yet');
    }
  } catch (e) { await onTransportError(e); }
}

function delay(ms) { return new Promise((r) => setTimeout(r, ms)); }

// A page put in the back/forward cache must not keep the stream or the lock; on return the
// views refetch (they receive a reset).
addEventListener('pagehide', (e) => { if (e.persisted) stop(); });
addEventListener('pageshow', (e) => {
  if (!e.persisted || !subs.size) return;
  start();
  for (const sub of [...subs]) deliver(sub, { type: 'reset', seq: lastSeq });
});
