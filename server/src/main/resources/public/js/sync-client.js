/**
 * sync-client.js — live changes for every view, over ONE server stream per browser. It knows no
 * feature: every change type the server sends reaches the subscriptions that asked for it by name.
 * Pages usually go through live-collection.js (snapshot + follow + reload) instead of calling
 * subscribe() themselves. See docs/SYNC.md, "The browser client".
 *
 * API
 *   subscribe(filter, onChange) → unsubscribe()
 *       filter = {
 *         since:    number,               // seq of the snapshot the view just loaded (required)
 *         types:    string[] | '*',       // change types by name; omitted or '*' = every type
 *         staffIds: Array<string|number>, // only changes about these staff (omit = everyone the user may see)
 *         from, to: 'YYYY-MM-DD',         // only changes about a date in [from, to]
 *         include:  (change) => boolean,  // also deliver changes this accepts (e.g. about an item the
 *                                         // view shows that moved out of its scope)
 *       }
 *       A change is about the staff in `staffId` and `staffIds`, and the dates in `date` and
 *       `dates`; one with none of them passes that part of the scope (it is not about one person
 *       or one day). onChange(change) is called once per matching change with seq > since, in seq
 *       order; change = {seq, type, at, actorId, staffId, date, data, …}. Two types mean "refetch
 *       your scope" and reach every subscription whatever its `types`: `reset` (history gone;
 *       {type:'reset', seq}) and `global_refresh` (when in scope). The view then loads a new
 *       snapshot, unsubscribes and subscribes again from the new snapshot's seq.
 *   inScope(scope, change)  the staff/date part of the matching above ({staffIds, from, to})
 *   STATUS_TEXT[status]     the indicator's words ("Live", "Reconnecting", "Offline — polling")
 *   onStatus(cb) → off      cb(status) now and on every change; status is
 *                           'connecting' | 'live' | 'reconnecting' | 'polling'
 *   stats()                 {role, status, lastSeq, subscriptions, buffered, streamHeartbeatMs,
 *                           deadStreams, heartbeats, …}: diagnostics
 *
 * How
 *   - Tabs elect a leader with the Web Locks API (lock 'rcs-sync-leader'). The leader holds the
 *     only stream (`/api/events?since=<lastSeq>`), dispatches each change to its own views
 *     and relays it over BroadcastChannel 'rcs-sync' (which never echoes to the sender). Every
 *     relayed change carries `after` = the leader's previous seq, so a tab notices a hole in its
 *     feed and fills it from `/api/changes?since=`. The leader heartbeats every 2 s; followers
 *     steal the lock when it has been quiet for 8 s (frozen tab). Closing the leader tab releases
 *     the lock and the next tab takes over from its own last seq. Without Web Locks or
 *     BroadcastChannel each tab is its own leader (one stream per tab).
 *   - The stream is read with fetch() and parsed here rather than with EventSource, which only
 *     fires the event names one registers in advance: this way every type arrives without a list.
 *     As EventSource would, a reconnect sends `Last-Event-ID` (the tab's last seq), and an `id:`
 *     line alone (changes this account does not see, or a heartbeat) moves the tab's position on.
 *   - The stream is opened without view filters: one stream serves every tab and view, the server
 *     authorises what the account may see, and each subscription filters locally. A subscription
 *     whose `since` is older than this tab's feed is first filled from `/api/changes` with its
 *     own filters (server-side), live changes queued meanwhile, so nothing is missed or doubled.
 *   - Dedupe: a change with seq <= lastSeq is dropped; each subscription also keeps its own seq.
 *     A writer's own optimistic update is deduped by version in the view (live-collection.js).
 *   - Stream errors and `event: closed`: probe `/api/sync/head`; 401/403 → sign-in page ("session
 *     ended", all tabs); server unreachable → "reconnecting" with backoff, resuming from lastSeq;
 *     server reachable but the stream twice fails to open (a proxy blocks it) → long-poll
 *     `/api/changes?since=&wait=25` ("Offline — polling"), retrying the stream every 60 s.
 *   - Every 30 s the leader compares `/api/sync/head` with lastSeq and fetches anything missed.
 *   - Delivery seen from the screen (docs/SYNC.md, "Delivery seen from the screens"): every tab
 *     notes, for each change it hands to its views, the seconds from the change's `at` (commit)
 *     to now, and the leader its stream reconnects and fallbacks to polling; batches go to
 *     `POST /api/client-metrics` every 10 s or at 20 items, and when the page is hidden or left
 *     (fetch with keepalive, so the last batch survives the page).
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
/** The server's heartbeat interval until its `hello` event says otherwise (SYNC_HEARTBEAT_MS default). */
const DEFAULT_STREAM_HEARTBEAT_MS = 15000;
/** A stream silent (no bytes at all) for this many heartbeat intervals is dead. */
const DEAD_AFTER_INTERVALS = 2;
/** Stream events that only say the stream is alive: never changes, never delivered to subscribers. */
const CONTROL_EVENTS = new Set(['hello', 'heartbeat']);
const STREAM_RETRY_WHILE_POLLING_MS = 60000;
const BUFFER_MAX = 500;
const POLL_WAIT_S = 25;
const TAB_ID = Math.random().toString(36).slice(2);
const METRICS_URL = '/api/client-metrics';
const METRICS_EVERY_MS = 10000;
const METRICS_BATCH = 20;
/** The page label the server accepts (board | availability | visits | staff | other). */
const PAGE = (location.pathname.match(/^\/(board|availability|visits|staff)\.html$/) || [null, 'other'])[1];

/** Everything this module remembers, in one place. */
const state = {
  status: 'connecting',
  lastSeq: null,          // highest seq this tab has seen, or null before the first subscribe
  coveredFrom: null,      // the feed holds every change in (coveredFrom, lastSeq]
  buffer: [],             // recent changes, ascending seq, for subscriptions that start in the past
  subs: new Set(),
  statusListeners: new Set(),
  started: false,
  role: 'none',           // 'leader' | 'follower' | 'solo' | 'none'
  generation: 0,          // bumps on start, stop and step-down: stale async work checks it and stops
  timers: [],
  gapFill: false,         // a catch-up is in flight; incoming items wait in `held`
  held: [],

  // Election among this browser's tabs.
  channel: null,
  releaseLock: null,      // resolves the held lock's callback
  lockAbort: null,        // aborts a queued lock request
  lockTicket: null,       // the campaign currently in force; older ones ignore their outcome
  lastLeaderHeard: 0,
  hbTimer: null,

  // The leader's transport.
  stream: null,           // {abort: AbortController, lastByteAt, watchdog} of the open (or opening) stream
  streamHeartbeatMs: DEFAULT_STREAM_HEARTBEAT_MS, // from the stream's `hello` event
  deadStreams: 0,         // streams this tab cut for silence (diagnostics)
  heartbeats: 0,          // `hello` and `heartbeat` events this tab's streams received (diagnostics)
  openTimer: null,
  reconnectTimer: null,
  downFailures: 0,        // server unreachable in a row (backoff)
  blockedFailures: 0,     // server reachable but the stream did not open, in a row (proxy)
  openedOnce: false,
  openedAt: 0,
  resuming: false,        // a stream was open before in this leadership: send Last-Event-ID
  polling: false,
  pollAbort: null,

  // What this tab reports to /api/client-metrics (not yet sent).
  report: { delivery: [], reconnects: 0, pollFallbacks: 0, lastShownSeq: 0, sent: 0, off: false },
};

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
  state.subs.add(sub);
  if (state.lastSeq === null) {
    state.lastSeq = state.coveredFrom = filter.since;
  } else if (filter.since >= state.coveredFrom) {
    for (const ev of state.buffer) if (ev.seq > sub.seq) deliver(sub, ev);
  } else {
    fillSubscription(sub);
  }
  start();
  return () => {
    sub.closed = true;
    state.subs.delete(sub);
  };
}

export function onStatus(cb) {
  state.statusListeners.add(cb);
  cb(state.status);
  return () => state.statusListeners.delete(cb);
}

export function stats() {
  const s = state;
  return {
    role: s.role, status: s.status, lastSeq: s.lastSeq, coveredFrom: s.coveredFrom, subscriptions: s.subs.size,
    buffered: s.buffer.length, polling: s.polling, downFailures: s.downFailures,
    streamHeartbeatMs: s.streamHeartbeatMs, deadStreams: s.deadStreams, heartbeats: s.heartbeats,
    metricsSent: s.report.sent, metricsPending: s.report.delivery.length,
  };
}

/** Whether a change is about the staff and dates of `scope` ({staffIds, from, to}; each optional). */
export function inScope(scope, ev) {
  const staff = listOf(ev.staffId, ev.staffIds);
  if (scope.staffIds && staff.length && !staff.some((id) => scope.staffIds.includes(id))) return false;
  const dates = listOf(ev.date, ev.dates);
  if ((scope.from || scope.to) && dates.length
    && !dates.some((d) => (!scope.from || d >= scope.from) && (!scope.to || d <= scope.to))) return false;
  return true;
}

function listOf(one, many) {
  const out = one == null ? [] : [String(one)];
  if (Array.isArray(many)) for (const x of many) if (x != null) out.push(String(x));
  return out;
}

// ------------------------------------------------------------------------ feed and dispatching

function normalise(f) {
  const types = f.types == null || f.types === '*' || (Array.isArray(f.types) && f.types.includes('*')) ? null : [...f.types];
  return {
    staffIds: f.staffIds ? f.staffIds.map(String) : null,
    from: f.from || null,
    to: f.to || null,
    types,
    include: f.include || null,
  };
}

function matches(f, ev) {
  if (ev.type === 'reset') return true;
  if (f.include && f.include(ev)) return true;
  if (f.types && ev.type !== 'global_refresh' && !f.types.includes(ev.type)) return false;
  return inScope(f, ev);
}

function deliver(sub, ev) {
  if (sub.closed) return;
  if (sub.pending) { sub.pending.push(ev); return; }
  if (ev.type !== 'reset' && ev.seq <= sub.seq) return;
  sub.seq = Math.max(sub.seq, ev.seq);
  if (!matches(sub.filter, ev)) return;
  try { sub.onChange(ev); } catch (e) { console.error('sync subscriber failed', e); }
  shown(ev);
}

/**
 * One item of the feed: `ev` (a change, or null for "nothing happened up to seq") that follows
 * `after`. Items arrive in seq order from the stream, a poll, a catch-up or the leader tab.
 */
function ingest(after, seq, ev) {
  const s = state;
  if (s.gapFill) { s.held.push([after, seq, ev]); return; }
  if (s.lastSeq === null) s.lastSeq = s.coveredFrom = after;
  if (seq <= s.lastSeq) return;
  if (after > s.lastSeq) { // a hole: fetch what lies between, then carry on
    s.held.push([after, seq, ev]);
    fillFeedGap();
    return;
  }
  s.lastSeq = seq;
  if (!ev) return;
  s.buffer.push(ev);
  if (s.buffer.length > BUFFER_MAX) s.coveredFrom = s.buffer.shift().seq;
  for (const sub of [...s.subs]) deliver(sub, ev);
}

/** The leader's own items (stream, poll, catch-up): ingested here and relayed to the other tabs. */
function ingestAndRelay(seq, ev) {
  const after = state.lastSeq;
  if (after !== null && seq <= after) return;
  ingest(after, seq, ev);
  if (ev) post({ t: 'ev', after, seq, ev });
  else post({ t: 'adv', after, seq });
}

function applyReset(seq) {
  state.lastSeq = state.coveredFrom = seq;
  state.buffer.length = 0;
  const ev = { type: 'reset', seq };
  for (const sub of [...state.subs]) { sub.seq = seq; if (sub.pending) sub.pending = []; deliver(sub, ev); }
}

function ingestBatch(res, relay) {
  if (res.reset) {
    applyReset(res.seq);
    if (relay) post({ t: 'reset', seq: res.seq });
    return;
  }
  for (const ev of res.events || []) {
    if (relay) ingestAndRelay(ev.seq, ev);
    else if (ev.seq > state.lastSeq) ingest(state.lastSeq, ev.seq, ev);
  }
  if (state.lastSeq !== null && res.seq > state.lastSeq) {
    if (relay) ingestAndRelay(res.seq, null);
    else ingest(state.lastSeq, res.seq, null);
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
  const s = state;
  if (s.gapFill) return;
  s.gapFill = true;
  let res = null;
  while (s.started) {
    try { res = await api('GET', changesUrl(s.lastSeq)); break; }
    catch (e) { if (await onTransportError(e)) return; await delay(2000); }
  }
  s.gapFill = false;
  if (res) ingestBatch(res, isLeading());
  const again = s.held;
  s.held = [];
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
  const s = state;
  if (s.started) return;
  s.started = true;
  s.generation++;
  s.timers.push(setInterval(headCheck, HEAD_CHECK_MS));
  s.timers.push(setInterval(sendReport, METRICS_EVERY_MS));
  if (navigator.locks && typeof BroadcastChannel === 'function') {
    s.channel = new BroadcastChannel(CHANNEL);
    s.channel.onmessage = (e) => onMessage(e.data);
    s.role = 'follower';
    s.lastLeaderHeard = Date.now();
    post({ t: 'hello' });
    campaign(false);
    s.timers.push(setInterval(watchLeader, HEARTBEAT_MS));
  } else {
    s.role = 'solo';
    lead();
  }
}

function stop() {
  const s = state;
  if (!s.started) return;
  sendReport();
  s.started = false;
  s.generation++;
  s.lockTicket = null;
  clearInterval(s.hbTimer);
  s.timers.forEach(clearInterval);
  s.timers = [];
  closeTransport();
  if (s.releaseLock) s.releaseLock();
  if (s.lockAbort) s.lockAbort.abort();
  s.releaseLock = s.lockAbort = null;
  if (s.channel) s.channel.close();
  s.channel = null;
  s.role = 'none';
}

function campaign(steal) {
  const s = state;
  const ticket = {};
  s.lockTicket = ticket;
  const opts = {};
  if (steal) opts.steal = true;
  else { s.lockAbort = new AbortController(); opts.signal = s.lockAbort.signal; }
  navigator.locks.request(LOCK, opts, () => {
    if (s.lockTicket !== ticket || !s.started) return undefined;
    s.lockAbort = null;
    return new Promise((resolve) => {
      s.releaseLock = resolve;
      s.role = 'leader';
      lead();
    });
  }).catch(() => {
    // Our held lock was stolen by a tab that found us quiet: step down and queue up again.
    if (s.lockTicket !== ticket || !s.started) return;
    if (s.role === 'leader') stepDown();
    campaign(false);
  });
}

function stepDown() {
  const s = state;
  s.generation++;
  closeTransport();
  clearInterval(s.hbTimer);
  s.releaseLock = null;
  s.role = 'follower';
  s.lastLeaderHeard = Date.now();
}

/** Followers: a leader quiet for LEADER_QUIET_MS is frozen or gone; steal its lock. */
function watchLeader() {
  const s = state;
  if (s.role !== 'follower' || Date.now() - s.lastLeaderHeard < LEADER_QUIET_MS) return;
  const quietSince = s.lastLeaderHeard;
  setTimeout(() => { // jitter, so that several followers do not all steal at once
    if (s.role !== 'follower' || !s.started || s.lastLeaderHeard !== quietSince) return;
    s.lastLeaderHeard = Date.now();
    if (s.lockAbort) s.lockAbort.abort();
    s.lockAbort = null;
    campaign(true);
  }, Math.random() * 1000);
}

function post(msg) {
  if (state.channel) state.channel.postMessage({ ...msg, from: TAB_ID });
}

function onMessage(m) {
  const s = state;
  if (!m || m.from === TAB_ID) return;
  if (m.t === 'hello') { if (s.role === 'leader') post({ t: 'hb', status: s.status, seq: s.lastSeq }); return; }
  if (m.t === 'auth') { goToLogin(true, m.code); return; }
  if (s.role === 'leader') return; // two leaders for a moment (a steal): ours is the truth
  s.lastLeaderHeard = Date.now();
  switch (m.t) {
    case 'hb':
      setStatus(m.status);
      // The leader is further than this tab (it joined late): fetch the difference.
      if (s.lastSeq !== null && m.seq != null && m.seq > s.lastSeq) ingest(m.seq, m.seq, null);
      break;
    case 'status': setStatus(m.status); break;
    case 'ev': if (s.lastSeq !== null) ingest(m.after, m.seq, m.ev); break;
    case 'adv': if (s.lastSeq !== null) ingest(m.after, m.seq, null); break;
    case 'reset': if (s.lastSeq !== null) applyReset(m.seq); break;
    default: break;
  }
}

function setStatus(st) {
  if (!st || st === state.status) return;
  state.status = st;
  if (state.role === 'leader') post({ t: 'status', status: st });
  for (const cb of [...state.statusListeners]) { try { cb(st); } catch (e) { console.error(e); } }
}

// ------------------------------------------------------------------ the leader's transport

async function lead() {
  const s = state;
  const gen = s.generation;
  if (s.role === 'leader') {
    clearInterval(s.hbTimer);
    s.hbTimer = setInterval(() => post({ t: 'hb', status: s.status, seq: s.lastSeq }), HEARTBEAT_MS);
  }
  if (s.status === 'live') setStatus('reconnecting'); // taking over: live again once our stream opens
  post({ t: 'status', status: s.status });
  s.downFailures = s.blockedFailures = 0;
  s.openedOnce = false;
  s.resuming = false;
  while (s.lastSeq === null && gen === s.generation) {
    try { const h = await api('GET', '/api/sync/head'); if (s.lastSeq === null) s.lastSeq = s.coveredFrom = h.seq; }
    catch (e) { if (await onTransportError(e)) return; await delay(2000); }
  }
  if (gen === s.generation) openStream();
}

function isLeading() { return state.role === 'leader' || state.role === 'solo'; }

function openStream() {
  const s = state;
  if (!isLeading()) return;
  closeStream();
  const gen = s.generation;
  const stream = { abort: new AbortController(), open: false };
  s.stream = stream;
  const current = () => s.stream === stream;
  const failed = () => {
    if (!current()) return;
    closeStream();
    if (gen === s.generation) onStreamFailed();
  };
  const headers = { Accept: 'text/event-stream' };
  if (s.resuming) headers['Last-Event-ID'] = String(s.lastSeq);
  fetch('/api/events?since=' + encodeURIComponent(s.lastSeq),
    { credentials: 'same-origin', cache: 'no-store', headers, signal: stream.abort.signal })
    .then(async (res) => {
      if (!current()) return;
      const type = res.headers.get('Content-Type') || '';
      // A refusal (400, 401, 403, 503) is a JSON error, never a stream: decide in onStreamFailed.
      if (!res.ok || !res.body || !type.startsWith('text/event-stream')) { failed(); return; }
      clearTimeout(s.openTimer);
      stream.open = true;
      s.blockedFailures = 0;
      s.openedOnce = s.resuming = true;
      s.openedAt = Date.now();
      if (s.polling) stopPolling();
      setStatus('live');
      stream.lastByteAt = Date.now();
      watchStream(stream, current, failed);
      await readEvents(res.body, (frame) => { if (current()) onFrame(frame, failed); },
        () => { stream.lastByteAt = Date.now(); });
      failed(); // the server ended the response
    })
    .catch(failed);
  s.openTimer = setTimeout(() => { if (current() && !stream.open) failed(); }, OPEN_TIMEOUT_MS);
}

/**
 * Dead-stream watchdog (docs/SYNC.md, "Dead streams"): the server sends at least one event per
 * heartbeat interval, so a stream that has shown no bytes for two intervals is dead (a silent
 * network drop: no FIN, no RST, the fetch would wait for ever). The status turns to Reconnecting
 * at once, the fetch is aborted and the usual reconnect resumes from lastSeq with Last-Event-ID.
 */
function watchStream(stream, current, failed) {
  const s = state;
  const check = () => {
    if (!current()) return;
    const silentFor = Date.now() - stream.lastByteAt;
    const limit = DEAD_AFTER_INTERVALS * s.streamHeartbeatMs;
    if (silentFor >= limit) {
      s.deadStreams++;
      console.warn(`sync: no bytes on the stream for ${silentFor} ms (heartbeat ${s.streamHeartbeatMs} ms): reconnecting`);
      if (!s.polling) setStatus('reconnecting');
      failed();
      return;
    }
    // Check again when the stream would turn dead, but at least every second, so that a shorter
    // interval announced by `hello` meanwhile takes effect soon.
    stream.watchdog = setTimeout(check, Math.max(50, Math.min(limit - silentFor, 1000)));
  };
  stream.watchdog = setTimeout(check, 0);
}

/** One event of the stream: {id, event, data} (data null: an `id:` line alone, or a bare comment). */
function onFrame(frame, failed) {
  const control = frame.event && CONTROL_EVENTS.has(frame.event);
  if (control) {
    state.heartbeats++;
    // `hello` {heartbeatMs} opens the stream, `heartbeat` {} keeps it alive: no change for
    // anyone, though an `id:` on them still moves the position on.
    if (frame.event === 'hello') {
      try {
        const ms = Number(JSON.parse(frame.data || '{}').heartbeatMs);
        if (Number.isFinite(ms) && ms > 0) state.streamHeartbeatMs = ms;
      } catch { /* a malformed hello: keep the interval we had */ }
    }
    if (state.lastSeq !== null && frame.id !== null && /^\d+$/.test(frame.id)) ingestAndRelay(Number(frame.id), null);
    return;
  }
  if (frame.data === null) {
    // "Nothing you may see up to this id" (or a heartbeat with the position): move on.
    if (state.lastSeq !== null && frame.id !== null && /^\d+$/.test(frame.id)) ingestAndRelay(Number(frame.id), null);
    return;
  }
  const type = frame.event || 'message';
  // The server ends a stream on purpose with `event: closed` {reason: signed_out | disabled |
  // shutdown}: decide here (sign-in page, or reconnect with backoff).
  if (type === 'closed') {
    // issue 12: remember why, so the sign-in page can say "your account was disabled"
    try { if (JSON.parse(frame.data).reason === 'disabled') localStorage.setItem('rcs-ended', 'disabled'); } catch { /* no reason given */ }
    failed();
    return;
  }
  let ev;
  try { ev = JSON.parse(frame.data); } catch { return; }
  if (!ev || typeof ev !== 'object') return;
  if (type === 'reset') { applyReset(Number(ev.seq)); post({ t: 'reset', seq: Number(ev.seq) }); return; }
  if (ev.seq == null) ev.seq = Number(frame.id);
  if (ev.type == null) ev.type = type;
  if (!Number.isFinite(ev.seq)) return;
  ingestAndRelay(ev.seq, ev);
}

/**
 * Reads a text/event-stream body (https://html.spec.whatwg.org/#event-stream-interpretation) and
 * calls onFrame({id, event, data}) at each blank line that ends an event with an `id:`, `event:`
 * or `data:` field. Resolves when the body ends; rejects when reading fails or is aborted.
 */
async function readEvents(body, onFrame, onBytes = () => {}) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let rest = '';
  let frame = null;
  const line = (text) => {
    if (text === '') {
      if (frame) onFrame(frame);
      frame = null;
      return;
    }
    if (text.startsWith(':')) return; // a comment (": heartbeat")
    const colon = text.indexOf(':');
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field !== 'id' && field !== 'event' && field !== 'data') return; // `retry:` and unknown fields
    frame = frame || { id: null, event: '', data: null };
    if (field === 'id') { if (!value.includes('\0')) frame.id = value; }
    else if (field === 'event') frame.event = value;
    else frame.data = frame.data === null ? value : frame.data + '\n' + value;
  };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    onBytes();
    rest += decoder.decode(value, { stream: true });
    // Complete lines only; a trailing '\r' may be the first half of a '\r\n'.
    const end = rest.endsWith('\r') ? rest.length - 1 : rest.length;
    const cut = Math.max(rest.lastIndexOf('\n', end - 1), rest.lastIndexOf('\r', end - 1));
    if (cut < 0) continue;
    const lines = rest.slice(0, cut + 1).split(/\r\n|\r|\n/);
    lines.pop();
    rest = rest.slice(cut + 1);
    for (const text of lines) line(text);
  }
}

async function onStreamFailed() {
  const s = state;
  const gen = s.generation;
  const wasOpen = s.openedOnce;
  s.openedOnce = false;
  if (wasOpen) s.report.reconnects++; // an open stream was lost (dropped, dead, server gone): one reconnect
  if (!s.polling) setStatus('reconnecting');
  let serverUp = false;
  try { await api('GET', '/api/sync/head'); serverUp = true; }
  catch (e) { if (await onTransportError(e)) return; }
  if (gen !== s.generation || !isLeading()) return;
  let wait;
  if (!serverUp) {
    wait = backoff(++s.downFailures);                // server gone (restart, network): retry
  } else if (wasOpen && Date.now() - s.openedAt > 5000) {
    s.downFailures = 0;
    wait = 0;                                         // a dropped stream: resume at once
  } else if (wasOpen) {
    wait = backoff(++s.downFailures);                 // opens, then drops at once: do not hammer
  } else {
    s.downFailures = 0;
    if (++s.blockedFailures >= 2 && !s.polling) startPolling(); // reachable but no stream: a proxy
    wait = s.polling ? STREAM_RETRY_WHILE_POLLING_MS : backoff(s.blockedFailures);
  }
  clearTimeout(s.reconnectTimer);
  s.reconnectTimer = setTimeout(() => { if (gen === s.generation && isLeading()) openStream(); }, wait);
}

/** Handles 401/403 (account gone): tells every tab and leaves. Returns true when it did. */
async function onTransportError(e) {
  if (e && (e.status === 401 || e.status === 403)) {
    state.report.off = true; // signed out: nothing more to report (and it would be refused)
    post({ t: 'auth', code: e.code });
    goToLogin(true, e.code);
    stop();
    return true;
  }
  return false;
}

function backoff(n) { return Math.min(250 * 2 ** Math.max(0, n - 1), 5000) * (0.75 + Math.random() * 0.5); }

function startPolling() {
  const s = state;
  s.polling = true;
  s.report.pollFallbacks++;
  setStatus('polling');
  const gen = s.generation;
  (async () => {
    let errors = 0;
    while (s.polling && gen === s.generation && isLeading()) {
      s.pollAbort = new AbortController();
      try {
        const res = await api('GET', changesUrl(s.lastSeq, null, POLL_WAIT_S), undefined,
          { signal: s.pollAbort.signal, timeoutMs: (POLL_WAIT_S + 10) * 1000 });
        errors = 0;
        if (s.polling && gen === s.generation) ingestBatch(res, true);
      } catch (e) {
        if (e.name === 'AbortError') return;
        if (await onTransportError(e)) return;
        await delay(backoff(++errors));
      }
    }
  })();
}

function stopPolling() {
  state.polling = false;
  if (state.pollAbort) state.pollAbort.abort();
  state.pollAbort = null;
}

function closeStream() {
  clearTimeout(state.openTimer);
  if (state.stream) { clearTimeout(state.stream.watchdog); state.stream.abort.abort(); state.stream = null; }
}

function closeTransport() {
  closeStream();
  stopPolling();
  clearTimeout(state.reconnectTimer);
}

async function headCheck() {
  const s = state;
  if (!isLeading() || s.lastSeq === null || s.gapFill) return;
  try {
    const head = await api('GET', '/api/sync/head');
    if (head.seq > s.lastSeq && isLeading()) {
      const res = await api('GET', changesUrl(s.lastSeq));
      const before = s.lastSeq;
      ingestBatch(res, true);
      if ((res.events || []).some((ev) => ev.seq > before)) console.warn('sync: head check found changes the stream had not delivered yet');
    }
  } catch (e) { await onTransportError(e); }
}

function delay(ms) { return new Promise((r) => setTimeout(r, ms)); }

// ------------------------------------------------------------ delivery seen from the screen

/**
 * A change this tab just handed to a view: once per change (several views may show it), the
 * seconds since its commit by this device's clock. A clock ahead of the server's gives a small
 * negative age, which the server counts as 0.
 */
function shown(ev) {
  const r = state.report;
  if (ev.type === 'reset' || !ev.at || !(ev.seq > r.lastShownSeq)) return;
  r.lastShownSeq = ev.seq;
  const committed = Date.parse(ev.at);
  if (!Number.isFinite(committed)) return;
  r.delivery.push(Math.round(Date.now() - committed) / 1000);
  if (r.delivery.length >= METRICS_BATCH) sendReport();
}

/** Sends what has gathered, if anything; fire and forget (a lost batch only loses numbers). */
function sendReport() {
  const r = state.report;
  if (r.off || (!r.delivery.length && !r.reconnects && !r.pollFallbacks)) return;
  const body = JSON.stringify({ page: PAGE, delivery: r.delivery, reconnects: r.reconnects, pollFallbacks: r.pollFallbacks });
  r.delivery = [];
  r.reconnects = r.pollFallbacks = 0;
  r.sent++;
  try {
    fetch(METRICS_URL, {
      method: 'POST', credentials: 'same-origin', keepalive: true, body,
      headers: { 'Content-Type': 'application/json' },
    }).then((res) => { if (res.status === 401) r.off = true; }, () => { /* offline: these numbers are lost */ });
  } catch { /* keepalive quota exceeded while the page unloads: lost */ }
}

// The last batch leaves with the page (or when it is hidden, the last moment a phone gives us).
addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden') sendReport(); });
addEventListener('pagehide', sendReport);

// A page put in the back/forward cache must not keep the stream or the lock; on return the
// views refetch (they receive a reset).
addEventListener('pagehide', (e) => { if (e.persisted) stop(); });
addEventListener('pageshow', (e) => {
  if (!e.persisted || !state.subs.size) return;
  start();
  for (const sub of [...state.subs]) deliver(sub, { type: 'reset', seq: state.lastSeq });
});
