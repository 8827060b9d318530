/**
 * My visits (issue 10, §8, staff side): the signed-in therapist's or driver's appointments from
 * today for two weeks, grouped by day, with Accept / Reject (with a reason) / Start / Complete
 * (payment). The list is a live-collection.js collection (snapshot, then the changes from its
 * seq): a new assignment appears at once and is announced — a visible notice, the polite live
 * region, and a browser notification when the person allowed them and the tab is hidden; a visit
 * they were taken off disappears with a note.
 *
 * The page draws from its state (the collection plus `page.busy`, `page.forms`, `page.messages`),
 * so a live update arriving while someone types a reason or waits for an answer keeps both.
 *
 * The actions are transitions, not creates, so they carry no Idempotency-Key: a retry after a
 * lost answer meets 409 INVALID_TRANSITION, and the page then reads the visit again and treats
 * "already in the state you asked for" as done.
 */
import { api, get } from './api.js';
import { initHeader } from './header.js';
import { onStatus, STATUS_TEXT } from './sync-client.js';
import { liveCollection } from './live-collection.js';
import { businessZone, todayIn, fmtTime, isOvernight, addDays, clockNow } from './time.js';
import { fmtDay } from './when.js';
import { STATUS_WORDS, PAYMENT_WORDS, serviceNames } from './booking-words.js';
import { money, amountValue } from './money.js';

const DAYS = 14;                 // today and the next 13 days
const MAX_NOTICES = 5;
const $ = (id) => document.getElementById(id);

/** 'In progress': the board's status words, capitalised for a card's badge. */
const STATUS_WORD = Object.fromEntries(Object.entries(STATUS_WORDS).map(([k, w]) => [k, w[0].toUpperCase() + w.slice(1)]));
const RESPONSE_WORD = { pending: 'not answered yet', accepted: 'accepted', rejected: 'rejected' };
const BUSY_WORD = { accept: 'Accepting…', reject: 'Rejecting…', start: 'Starting…', complete: 'Completing…' };
const DONE_WORD = {
  accept: 'You accepted this visit.', reject: 'You rejected this visit; the operator has been told.',
  start: 'Visit started.', complete: 'Visit completed and payment recorded.',
};

const page = {
  me: null,
  zone: null,
  today: null,
  busy: new Map(),      // appointment id → the action waiting for an answer
  forms: new Map(),     // appointment id → {kind: 'reject'|'complete', reason, method, amount, error, invalid}
  messages: new Map(),  // appointment id → {text, error}
};

const visits = liveCollection({
  events: { appointment_created: 'upsert', appointment_updated: 'upsert', appointment_removed: 'remove' },
  view: () => {
    if (!page.me || !page.today) return null;
    const from = page.today;
    const to = addDays(from, DAYS - 1);
    return {
      url: `/api/appointments?from=${from}&to=${to}`,
      scope: { staffIds: [page.me.id], from, to },
      accept: (a) => shows(a, from, to),
    };
  },
  onLoad: (_, snap) => {
    $('visits-loading').hidden = true;
    showError($('list-error'), '');
    render();
    if (snap.seq !== null) setLastUpdate();
  },
  onChange: (result, change) => { changed(result, change); setLastUpdate(); },
  onError: (e) => { $('visits-loading').hidden = true; showError($('list-error'), 'Your visits could not be loaded: ' + e.message); },
});

main().catch((e) => showError($('list-error'), e.message));

async function main() {
  page.me = await initHeader({ roles: ['therapist', 'driver'] });
  onStatus((s) => {
    const el = $('sync-status');
    el.textContent = STATUS_TEXT[s];
    el.dataset.status = s;
  });
  page.zone = await businessZone();
  page.today = todayIn(page.zone);
  setUpNotifications();
  $('visits-list').addEventListener('click', onClick);
  $('visits-list').addEventListener('input', onInput);
  $('visits-list').addEventListener('submit', onSubmit);
  $('notices').addEventListener('click', onNoticeClick);
  // A page left open overnight moves on to the new day.
  setInterval(() => {
    const today = todayIn(page.zone);
    if (today !== page.today) { page.today = today; visits.load(); }
  }, 60000);
  await visits.load();
}

/** In the list: visits from today on; finished or cancelled ones only on the day itself. */
function shows(a, from, to) {
  if (a.date < from || a.date > to || !mine(a)) return false;
  if (a.status === 'completed' || a.status === 'cancelled') return a.date === page.today;
  return true;
}

/** The signed-in person's place on the visit: {id, name, response, reason?, role} or null. */
function mine(a) {
  const id = String(page.me.id);
  const t = (a.therapists || []).find((x) => String(x.id) === id);
  if (t) return { ...t, role: 'therapist' };
  if (a.driver && String(a.driver.id) === id) return { ...a.driver, role: 'driver' };
  return null;
}

/** What the person may do now (docs/API.md, Appointments). */
function actionsFor(a) {
  const me = mine(a);
  if (!me) return [];
  const out = [];
  if (a.status === 'pending' && me.response === 'pending') out.push('accept');
  if ((a.status === 'pending' || a.status === 'confirmed') && me.response !== 'rejected') out.push('reject');
  if (me.role === 'therapist' && a.status === 'confirmed') out.push('start');
  if (me.role === 'therapist' && a.status === 'in_progress') out.push('complete');
  return out;
}

/** Has the visit reached what `kind` asked for (a retry whose first try did get through)? */
function reached(kind, a) {
  const me = mine(a);
  if (kind === 'accept') return me?.response === 'accepted';
  if (kind === 'reject') return me?.response === 'rejected';
  if (kind === 'start') return a.status === 'in_progress' || a.status === 'completed';
  return a.status === 'completed';
}

// -------------------------------------------------------------------------------- words

function servicesText(a) { return (a.services ? serviceNames(a) : '') || 'Visit'; }

function timeText(a) {
  const span = `${fmtTime(a.start)} – ${fmtTime(a.end)}`;
  return isOvernight(a.start, a.end) ? `${span} (overnight, ends ${fmtDay(addDays(a.date, 1))})` : span;
}

function dayText(date) {
  if (date === page.today) return `Today, ${fmtDay(date)}`;
  if (date === addDays(page.today, 1)) return `Tomorrow, ${fmtDay(date)}`;
  return fmtDay(date);
}

/** "Swedish massage at 2:00 PM on Fri 4 Dec" */
function visitWords(a) { return `${servicesText(a)} at ${fmtTime(a.start)} on ${fmtDay(a.date)}`; }


function statusWord(a) {
  return STATUS_WORD[a.status] + (a.status === 'pending' && a.overdue ? ' · answer overdue' : '');
}

function responseText(p) {
  const word = RESPONSE_WORD[p.response] || p.response;
  return p.response === 'rejected' && p.reason ? `${word}: “${p.reason}”` : word;
}

function yourAnswer(a, me) {
  if (me.response === 'accepted') return 'You accepted';
  if (me.response === 'rejected') return 'You rejected' + (me.reason ? `: “${me.reason}”` : '');
  return a.status === 'pending' ? 'Not answered yet — please accept or reject' : 'Not answered';
}

/** The refusal as a sentence the person can act on. */
function explain(err, kind) {
  if (err.code === 'INVALID_TRANSITION') {
    const s = err.error.status;
    if (s === 'cancelled') return 'This visit was cancelled by the operator.';
    if (s === 'completed') return 'This visit is already completed.';
    if (s === 'in_progress') return 'This visit has already started.';
    if (s === 'rejected') return 'Someone on this visit turned it down; the operator is rearranging it.';
    if (s === 'pending' && (kind === 'start' || kind === 'complete')) return 'This visit cannot start until everyone on it has accepted.';
    if (s === 'confirmed' && kind === 'accept') return 'Everyone has already accepted this visit.';
    if (s === 'confirmed' && kind === 'complete') return 'Start the visit before completing it.';
    return `This visit is now ${(STATUS_WORD[s] || s).toLowerCase()}.`;
  }
  if (err.status === 404) return 'You are no longer on this visit: the operator changed it.';
  if (err.code === 'VALIDATION' && err.fields) return Object.entries(err.fields).map(([f, m]) => `${fieldName(f)} ${m}.`).join(' ');
  return err.message;
}

function fieldName(f) { return { reason: 'The reason', amountPaid: 'The amount paid', paymentMethod: 'The payment method' }[f] || f; }

// ------------------------------------------------------------------------------- rendering

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

/** Draws the whole list from state, keeping focus on the control that had it (by data-focus). */
function render() {
  const focusKey = document.activeElement?.dataset?.focus;
  const byDay = new Map();
  const sorted = visits.values().sort((a, b) => (a.date + a.start).localeCompare(b.date + b.start) || a.id - b.id);
  for (const a of sorted) {
    if (!byDay.has(a.date)) byDay.set(a.date, []);
    byDay.get(a.date).push(a);
  }
  const days = [];
  for (const [date, list] of byDay) {
    const headingId = `day-${date}`;
    days.push(el('section', { class: 'visit-day', 'aria-labelledby': headingId, 'data-date': date },
      el('h2', { id: headingId, text: dayText(date) }),
      el('ul', { class: 'visit-cards' }, ...list.map((a) => el('li', {}, card(a))))));
  }
  $('visits-list').replaceChildren(...days);
  $('visits-empty').hidden = sorted.length > 0 || visits.seq === null;
  if (focusKey) document.querySelector(`[data-focus="${CSS.escape(focusKey)}"]`)?.focus();
}

function card(a) {
  const me = mine(a);
  const id = String(a.id);
  const titleId = `visit-${id}-title`;
  const facts = el('dl', { class: 'visit-facts' });
  const fact = (term, ...value) => facts.append(el('div', {}, el('dt', { text: term }), el('dd', {}, ...value)));
  fact('Client', a.client?.name || '—');
  fact('Address', a.address || '—');
  if (a.client?.phone) fact('Phone', el('a', { href: 'tel:' + a.client.phone.replace(/[^\d+]/g, ''), text: a.client.phone }));
  fact('Services', (a.services || []).map((s) => `${s.name} (${s.durationMinutes} min)`).join(', ') + ` — total ${money(a.total)}`);
  if (a.notes) fact('Notes', a.notes);
  const others = [...(a.therapists || []).map((t) => ({ ...t, role: 'therapist' })), ...(a.driver ? [{ ...a.driver, role: 'driver' }] : [])]
    .filter((p) => String(p.id) !== String(page.me.id));
  if (others.length) {
    fact('With', el('ul', { class: 'with' }, ...others.map((p) => el('li', { text: `${p.name} (${p.role}): ${responseText(p)}` }))));
  }
  fact('Your answer', yourAnswer(a, me));
  if (a.payment) fact('Paid', `${money(a.payment.amountPaid)} by ${PAYMENT_WORDS[a.payment.method] || a.payment.method}`);

  const article = el('article', { class: `visit st-${a.status}${a.overdue ? ' overdue' : ''}`, 'data-appointment-id': id, 'aria-labelledby': titleId },
    el('div', { class: 'visit-head' },
      el('h3', { id: titleId, tabindex: '-1', 'data-focus': `${id}:title` },
        el('span', { class: 'visit-time', text: timeText(a) }), ' ',
        el('span', { class: 'visit-services', text: servicesText(a) })),
      el('span', { class: `visit-status st-${a.status}`, 'data-status': a.status, text: statusWord(a) })),
    facts);

  const allowed = actionsFor(a);
  const busy = page.busy.get(id);
  const form = page.forms.get(id);
  if (form && !allowed.includes(form.kind)) page.forms.delete(id);
  const open = page.forms.get(id);
  if (allowed.length) {
    const bar = el('div', { class: 'visit-actions', role: 'group', 'aria-label': `Actions for the visit at ${fmtTime(a.start)}` });
    const button = (kind, label, cls) => el('button', {
      type: 'button', class: cls, 'data-action': kind, 'data-id': id, 'data-focus': `${id}:${kind}`,
      disabled: Boolean(busy) || (open && open.kind === kind), 'aria-expanded': kind === 'reject' || kind === 'complete' ? String(open?.kind === kind) : null,
      text: busy === kind ? BUSY_WORD[kind] : label,
    });
    if (allowed.includes('accept')) bar.append(button('accept', 'Accept', 'primary'));
    if (allowed.includes('start')) bar.append(button('start', 'Start visit', 'primary'));
    if (allowed.includes('complete')) bar.append(button('complete', 'Complete…', 'primary'));
    if (allowed.includes('reject')) bar.append(button('reject', 'Reject…', 'danger'));
    article.append(bar);
  }
  if (open) article.append(open.kind === 'reject' ? rejectForm(a, open, busy) : completeForm(a, open, busy));
  const msg = page.messages.get(id);
  article.append(el('p', { class: msg?.error ? 'error' : 'visit-msg', role: msg?.error ? 'alert' : null, hidden: !msg, text: msg?.text || '' }));
  return article;
}

function rejectForm(a, state, busy) {
  const id = String(a.id);
  const reasonId = `reject-${id}-reason`;
  const errorId = `reject-${id}-error`;
  return el('form', { class: 'visit-form', 'data-kind': 'reject', 'data-id': id, novalidate: true, 'aria-label': 'Reject this visit' },
    el('label', { for: reasonId, text: 'Why can you not take this visit? (required)' }),
    el('textarea', {
      id: reasonId, name: 'reason', rows: '2', maxlength: '500', required: true, 'data-focus': `${id}:reason`,
      'aria-invalid': state.invalid === 'reason' ? 'true' : null, 'aria-describedby': state.error ? errorId : null,
    }, state.reason || ''),
    el('p', { class: 'hint', text: 'The operator sees your reason and will find someone else or cancel the visit.' }),
    el('p', { id: errorId, class: 'error', role: 'alert', hidden: !state.error, text: state.error || '' }),
    el('div', { class: 'form-actions' },
      el('button', { type: 'submit', class: 'danger', disabled: Boolean(busy), 'data-focus': `${id}:reject-submit`, text: busy === 'reject' ? BUSY_WORD.reject : 'Reject visit' }),
      el('button', { type: 'button', 'data-close': id, 'data-focus': `${id}:reject-close`, text: 'Keep the visit' })));
}

function completeForm(a, state, busy) {
  const id = String(a.id);
  const amountId = `complete-${id}-amount`;
  const errorId = `complete-${id}-error`;
  const methods = el('fieldset', { class: 'methods', 'aria-invalid': state.invalid === 'method' ? 'true' : null },
    el('legend', { text: 'How did the client pay?' }));
  for (const [value, word] of Object.entries(PAYMENT_WORDS)) {
    methods.append(el('label', { class: 'check' },
      el('input', { type: 'radio', name: 'method', value, checked: state.method === value, 'data-focus': `${id}:method-${value}` }), word));
  }
  return el('form', { class: 'visit-form', 'data-kind': 'complete', 'data-id': id, novalidate: true, 'aria-label': 'Complete this visit' },
    methods,
    el('label', { for: amountId, text: 'Amount paid (₱)' }),
    el('input', {
      id: amountId, name: 'amount', type: 'text', inputmode: 'decimal', autocomplete: 'off', value: state.amount,
      'data-focus': `${id}:amount`, 'aria-invalid': state.invalid === 'amount' ? 'true' : null,
      'aria-describedby': `${amountId}-hint` + (state.error ? ' ' + errorId : ''),
    }),
    el('p', { id: `${amountId}-hint`, class: 'hint', text: `The visit total is ${money(a.total)}.` }),
    el('p', { id: errorId, class: 'error', role: 'alert', hidden: !state.error, text: state.error || '' }),
    el('div', { class: 'form-actions' },
      el('button', { type: 'submit', class: 'primary', disabled: Boolean(busy), 'data-focus': `${id}:complete-submit`, text: busy === 'complete' ? BUSY_WORD.complete : 'Mark completed' }),
      el('button', { type: 'button', 'data-close': id, 'data-focus': `${id}:complete-close`, text: 'Not yet' })));
}

/** Focuses the control with that data-focus key; false when there is none (or it is disabled). */
function focusOn(key) {
  const e = document.querySelector(`[data-focus="${CSS.escape(key)}"]`);
  if (!e || e.disabled) return false;
  e.focus();
  return true;
}

function setLastUpdate() { $('last-update').textContent = 'Last update ' + clockNow(); }

function showError(node, text) {
  node.textContent = text || '';
  node.hidden = !text;
}

// --------------------------------------------------------------------------------- actions

function onClick(e) {
  const close = e.target.closest('[data-close]');
  if (close) {
    const id = close.dataset.close;
    const kind = page.forms.get(id)?.kind;
    page.forms.delete(id);
    render();
    focusOn(`${id}:${kind}`);
    return;
  }
  const b = e.target.closest('button[data-action]');
  if (!b || b.disabled) return;
  const id = b.dataset.id;
  const a = visits.get(id);
  if (!a) return;
  const kind = b.dataset.action;
  page.messages.delete(id);
  if (kind === 'reject' || kind === 'complete') {
    page.forms.set(id, kind === 'reject' ? { kind, reason: '' } : { kind, method: null, amount: amountValue(a.total) });
    render();
    focusOn(kind === 'reject' ? `${id}:reason` : `${id}:method-cash`);
    return;
  }
  act(id, kind, undefined);
}

function onInput(e) {
  const form = e.target.closest('form.visit-form');
  const state = form && page.forms.get(form.dataset.id);
  if (!state) return;
  if (e.target.name === 'reason') state.reason = e.target.value;
  if (e.target.name === 'amount') state.amount = e.target.value;
  if (e.target.name === 'method') state.method = e.target.value;
}

function onSubmit(e) {
  const form = e.target.closest('form.visit-form');
  if (!form) return;
  e.preventDefault();
  const id = form.dataset.id;
  const state = page.forms.get(id);
  if (!state || page.busy.has(id)) return;
  state.error = null;
  state.invalid = null;
  let body;
  if (state.kind === 'reject') {
    const reason = (state.reason || '').trim();
    if (!reason) return invalid(id, state, 'reason', 'Please say why you cannot take this visit; the operator needs the reason.');
    body = { reason };
  } else {
    if (!state.method) return invalid(id, state, 'method', 'Choose how the client paid: cash, GCash or bank transfer.', `${id}:method-cash`);
    const amount = (state.amount || '').trim().replace(/^₱\s*/, '');
    if (!/^\d{1,9}(\.\d{1,2})?$/.test(amount)) return invalid(id, state, 'amount', 'Enter the amount paid as a number, such as 800 or 800.50.');
    body = { paymentMethod: state.method, amountPaid: amount };
  }
  act(id, state.kind, body);
}

function invalid(id, state, field, text, focusKey = `${id}:${field}`) {
  state.error = text;
  state.invalid = field;
  render();
  focusOn(focusKey);
}

/** Sends one action; busy meanwhile, the controls back afterwards whatever happened. */
async function act(id, kind, body) {
  page.busy.set(id, kind);
  render();
  let done = null;
  let text = null;
  try {
    done = await api('POST', `/api/appointments/${encodeURIComponent(id)}/${kind}`, body);
  } catch (err) {
    text = explain(err, kind);
    if (err.code === 'INVALID_TRANSITION' || err.status === 404) {
      const now = await refetch(id);
      if (now && reached(kind, now)) { done = now; text = null; }
    }
  } finally {
    page.busy.delete(id);
  }
  if (done) {
    page.forms.delete(id);
    page.messages.set(id, { text: DONE_WORD[kind] });
    visits.upsert(done);
    render();
    announce(`${DONE_WORD[kind]} ${visitWords(done)}: ${statusWord(done).toLowerCase()}.`);
    focusOn(`${id}:title`);
    return;
  }
  const form = page.forms.get(id);
  if (form && form.kind === kind) form.error = text;
  else page.messages.set(id, { text, error: true });
  render();
  if (!visits.get(id)) { $('page-heading').focus(); return; } // gone: the notice says why
  if (!focusOn(form && form.kind === kind ? `${id}:${kind}-submit` : `${id}:${kind}`)) focusOn(`${id}:title`);
}

/** The visit as the server has it now (null when we are no longer on it). */
async function refetch(id) {
  try {
    const a = await get(`/api/appointments/${encodeURIComponent(id)}`);
    visits.upsert(a);
    return a;
  } catch (e) {
    if (e.status === 404) {
      const gone = visits.get(id);
      if (gone && visits.remove(id)) notice(`Removed: ${visitWords(gone)} — you are no longer on this visit.`);
    }
    return null;
  }
}

// ----------------------------------------------------------------------- live changes

/** A change from the stream (or a reload's difference) that altered the list. */
function changed({ action, id, item, previous }, change) {
  const byMe = change && String(change.actorId) === String(page.me.id);
  if (action === 'remove') {
    page.forms.delete(id);
    page.busy.delete(id);
    page.messages.delete(id);
    render();
    if (!previous) return;
    const now = change?.data;
    if (now && now.status === 'cancelled') notice(`Cancelled by the operator: ${visitWords(previous)}.`);
    else if (now && now.status === 'completed') { /* finished on another day: leaves quietly */ }
    else if (!byMe) notice(`Removed: ${visitWords(previous)} — you are no longer on this visit.`);
    return;
  }
  render();
  if (byMe) return; // the person's own action, answered on the card already
  const meNow = mine(item);
  const meBefore = previous && mine(previous);
  if (!previous && item.status === 'pending' && meNow?.response === 'pending') {
    const text = `New visit: ${visitWords(item)} — please accept or reject`;
    notice(text, id);
    notify('New visit', text, id);
  } else if (meBefore && meBefore.response !== 'pending' && meNow?.response === 'pending' && item.status === 'pending') {
    const text = `Visit changed: ${visitWords(item)} — please accept or reject it again`;
    notice(text, id);
    notify('Visit changed', text, id);
  } else if (previous && previous.status !== item.status) {
    if (item.status === 'cancelled') notice(`Cancelled by the operator: ${visitWords(item)}.`);
    else announce(`${visitWords(item)} is now ${statusWord(item).toLowerCase()}.`);
  } else if (!previous) {
    announce(`Visit added: ${visitWords(item)}.`);
  }
}

/** A visible notice (newest first) that is also read out; `id` adds a "Show visit" button. */
function notice(text, id) {
  const list = $('notices');
  const textId = 'notice-' + Math.random().toString(36).slice(2);
  const li = el('li', { class: 'notice-item' + (id ? ' notice-new' : '') },
    el('span', { id: textId, class: 'notice-text', text }));
  const buttons = el('span', { class: 'notice-buttons' });
  if (id) buttons.append(el('button', { type: 'button', 'data-show': String(id), 'aria-describedby': textId, text: 'Show visit' }));
  buttons.append(el('button', { type: 'button', 'data-dismiss': '', 'aria-describedby': textId, text: 'Dismiss' }));
  li.append(buttons);
  list.prepend(li);
  while (list.children.length > MAX_NOTICES) list.lastElementChild.remove();
  announce(text);
}

function onNoticeClick(e) {
  const show = e.target.closest('[data-show]');
  if (show) {
    const card = document.querySelector(`[data-appointment-id="${CSS.escape(show.dataset.show)}"]`);
    if (card) { card.scrollIntoView({ block: 'center' }); focusOn(`${show.dataset.show}:title`); }
    return;
  }
  const dismiss = e.target.closest('[data-dismiss]');
  if (dismiss) {
    const li = dismiss.closest('li');
    const next = li.nextElementSibling || li.previousElementSibling;
    li.remove();
    (next?.querySelector('button') || $('page-heading')).focus?.();
  }
}

/** The polite live region: emptied, then filled, so the same words twice are read twice. */
let announceTimer = null;
function announce(text) {
  const region = $('visits-announce');
  region.textContent = '';
  clearTimeout(announceTimer);
  announceTimer = setTimeout(() => { region.textContent = text; }, 50);
}

// ------------------------------------------------------------------ browser notifications

function setUpNotifications() {
  if (!('Notification' in window)) return; // the section stays hidden
  $('notify-section').hidden = false;
  renderNotify();
  $('notify-button').addEventListener('click', async () => {
    try { await Notification.requestPermission(); } catch { /* an old browser's callback form: ignored */ }
    renderNotify();
    $('notify-state').focus?.();
  });
}

function renderNotify() {
  const p = Notification.permission;
  $('notify-button').hidden = p !== 'default';
  $('notify-state').textContent = p === 'granted'
    ? 'Notifications are on: a new visit also pops up while this page is in the background.'
    : p === 'denied'
      ? 'Notifications are blocked for this site in the browser settings; new visits still show here.'
      : 'Get a pop-up for each new visit while this page is in the background.';
}

/** A browser notification, only when allowed and nobody is looking at the page. */
function notify(title, body, id) {
  if (!('Notification' in window) || Notification.permission !== 'granted' || document.visibilityState !== 'hidden') return;
  try {
    const n = new Notification(title, { body, tag: 'visit-' + id });
    n.onclick = () => { window.focus(); n.close(); focusOn(`${id}:title`); };
  } catch { /* phones allow notifications only from a service worker: the notice on the page remains */ }
}
