/**
 * An appointment's panel (the <dialog id="appt-dialog"> in board.html): client, phone, address,
 * services, total, assignees with their answers, status, forced, notes, payment and the history,
 * and the actions an operator may take in its status (docs/API.md "Appointments"): change time or
 * people (PATCH with If-Match; a 412 shows the newer version), cancel (with a reason), start,
 * complete (payment). Live: a newer version arriving on the stream redraws it.
 *
 *   openAppointment(opener, id, { find(id), applied(appointment), nameOf(id), staffValues(), zone, announce })
 *   appointmentChanged(appointment)      // every appointment change the page hears
 */
import { api, get } from './api.js';
import { fmtTime, fmtDate, isOvernight } from './time.js';
import { fmtWhen } from './when.js';
import { fillRows } from './detail-panel.js';
import { STATUS_WORDS, PAYMENT_WORDS, serviceNames, summary, checkLabel } from './booking-words.js';
import { money, amountValue } from './money.js';

const $ = (id) => document.getElementById(id);
const RESPONSE_WORDS = { pending: 'no answer yet', accepted: 'accepted', rejected: 'rejected' };
const EDITABLE = new Set(['pending', 'confirmed', 'rejected']);

let current = null;   // the Appointment shown
let opener = null;
let ctx = null;
let wired = false;

export async function openAppointment(from, id, context) {
  wire();
  opener = from;
  ctx = context;
  let a = context.find(id);
  if (!a) {
    try { a = await get('/api/appointments/' + id); } catch (e) { context.announce(e.message); return; }
  }
  current = null;
  say('');
  render(a);
  const d = $('appt-dialog');
  if (!d.open) d.showModal();
  $('appt-close').focus();
}

export function appointmentChanged(a) {
  if (!current || !$('appt-dialog').open || String(a.id) !== String(current.id) || a.version <= current.version) return;
  const before = current.status;
  render(a, a.status !== before);
  say(a.status !== before ? `Changed elsewhere just now: it is ${STATUS_WORDS[a.status]} now.` : 'Changed elsewhere just now: this is the newest version.');
}

function wire() {
  if (wired) return;
  wired = true;
  const d = $('appt-dialog');
  $('appt-close').addEventListener('click', () => d.close());
  d.addEventListener('close', () => {
    const id = opener?.dataset.appointmentId;
    const again = opener?.isConnected ? opener : id ? document.querySelector(`[data-appointment-id="${CSS.escape(id)}"]`) : null;
    (again || $('board-date'))?.focus();
  });
}

function say(text) {
  $('appt-message').textContent = text;
  $('appt-message').hidden = !text;
}

function render(a, actionsToo = true) {
  const firstTime = !current;
  current = a;
  $('appt-title').textContent = `${serviceNames(a)} for ${a.client.name}`;
  const who = (p) => `${p.name} — ${RESPONSE_WORDS[p.response] || p.response}${p.reason ? `: “${p.reason}”` : ''}`;
  const overnight = isOvernight(a.start, a.end) ? ' (ends the next day)' : '';
  fillRows($('appt-details'), [
    ['Status', STATUS_WORDS[a.status] + (a.overdue ? ' — overdue: not answered in time' : '')],
    ['When', `${fmtDate(a.date)}, ${fmtTime(a.start)} – ${fmtTime(a.end)}${overnight}`],
    ['Client', a.client.name],
    ['Phone', a.client.phone],
    ['Address', a.address],
    ['Services', a.services.map((s) => `${s.name} (${s.durationMinutes} min, ${money(s.price)})`).join(', ')],
    ['Total', money(a.total)],
    ['Therapists', a.therapists.map(who).join('; ')],
    ['Driver', a.driver ? who(a.driver) : 'none'],
    ['Forced', a.forced ? 'yes — booked outside availability' : 'no'],
    ['Payment', a.payment ? `${PAYMENT_WORDS[a.payment.method] || a.payment.method}, ${money(a.payment.amountPaid)} paid` : null],
    ['Notes', a.notes],
  ]);
  $('appt-history').replaceChildren(...a.history.map((h) => {
    const li = document.createElement('li');
    const by = h.byId == null ? 'the system' : ctx.nameOf(h.byId) || `staff #${h.byId}`;
    li.textContent = `${fmtWhen(h.at, ctx.zone)}: ${STATUS_WORDS[h.status] || h.status} by ${by}${h.reason ? ` — “${h.reason}”` : ''}`;
    return li;
  }));
  if (actionsToo || firstTime) renderActions(a);
}

// ---------------------------------------------------------------------------------- actions

function renderActions(a) {
  const box = $('appt-actions');
  const buttons = document.createElement('div');
  buttons.className = 'appt-buttons';
  const form = document.createElement('div');
  form.className = 'appt-form';
  const add = (text, build, cls) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = text;
    if (cls) b.className = cls;
    b.setAttribute('aria-expanded', 'false');
    b.addEventListener('click', () => {
      for (const o of buttons.querySelectorAll('button')) o.setAttribute('aria-expanded', 'false');
      b.setAttribute('aria-expanded', 'true');
      form.replaceChildren(build(a));
      form.querySelector('input, select, textarea, button')?.focus();
    });
    buttons.append(b);
  };
  if (EDITABLE.has(a.status)) add('Change time or people', editForm);
  if (a.status === 'confirmed') add('Start', (x) => confirmForm(x, 'start', 'Start the visit now', null));
  if (a.status === 'in_progress') add('Complete', completeForm, 'primary');
  if (a.status !== 'completed' && a.status !== 'cancelled') add('Cancel appointment', cancelForm, 'danger');
  box.replaceChildren(...(buttons.children.length ? [buttons, form] : []));
}

function field(labelText, control) {
  const label = document.createElement('label');
  label.append(labelText, control);
  return label;
}

function el(tag, props = {}) { return Object.assign(document.createElement(tag), props); }

/** A form for one action; its own checks say what is missing (no browser bubbles). */
function actionForm(className = '') { return el('form', { className, noValidate: true }); }

function submitRow(text, cls = 'primary') {
  const row = el('div', { className: 'dialog-buttons' });
  const b = el('button', { type: 'submit', textContent: text, className: cls });
  const err = el('p', { className: 'error', hidden: true });
  err.setAttribute('role', 'alert');
  row.append(b);
  return { row, button: b, err };
}

/** Sends one action; a refusal is said next to the form, which stays filled. */
function wireForm(form, parts, send) {
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    parts.err.hidden = true;
    parts.button.disabled = true;
    try {
      const a = await send();
      if (!a) return;
      ctx.applied(a);
      render(a);
      say(`Done: ${summary(a)} is ${STATUS_WORDS[a.status]}.`);
      ctx.announce(`${summary(a)} ${STATUS_WORDS[a.status]}`);
      $('appt-close').focus();
    } catch (err) {
      if (err.code === 'VERSION_MISMATCH') { await showNewer(); return; }
      parts.err.textContent = err.message + (err.fields ? ' ' + Object.entries(err.fields).map(([k, v]) => `${k} ${v}`).join('; ') : '');
      parts.err.hidden = false;
    } finally {
      parts.button.disabled = false;
    }
  });
}

async function showNewer() {
  try {
    const newer = await get('/api/appointments/' + current.id);
    ctx.applied(newer);
    render(newer);
  } catch (e) { say(e.message); return; }
  say('Someone else changed this appointment meanwhile, so your change was not saved. This is the newer version; make your change again if it still applies.');
  $('appt-message').focus?.();
}

const post = (a, action, body) => api('POST', `/api/appointments/${a.id}/${action}`, body);

function confirmForm(a, action, text) {
  const form = actionForm();
  const parts = submitRow(text);
  form.append(parts.err, parts.row);
  wireForm(form, parts, () => post(a, action));
  return form;
}

function cancelForm(a) {
  const form = actionForm();
  const reason = el('textarea', { rows: 2, required: true });
  const parts = submitRow('Cancel this appointment', 'danger-solid');
  form.append(field('Reason for cancelling (required)', reason), parts.err, parts.row);
  wireForm(form, parts, async () => {
    if (!reason.value.trim()) { parts.err.textContent = 'Give a reason for cancelling.'; parts.err.hidden = false; reason.focus(); return null; }
    return post(a, 'cancel', { reason: reason.value.trim() });
  });
  return form;
}

function completeForm(a) {
  const form = actionForm();
  const method = el('select');
  for (const [v, t] of Object.entries(PAYMENT_WORDS)) method.append(new Option(t, v));
  const amount = el('input', { type: 'number', min: '0', step: '0.01', value: amountValue(a.total), required: true });
  const parts = submitRow('Mark completed');
  form.append(field('Payment method', method), field('Amount paid', amount), parts.err, parts.row);
  wireForm(form, parts, () => post(a, 'complete', { paymentMethod: method.value, amountPaid: amount.value }));
  return form;
}

function editForm(a) {
  const form = actionForm('edit-form');
  const date = el('input', { type: 'date', value: a.date, required: true });
  const start = el('input', { type: 'time', value: a.start, required: true });
  const therapists = el('fieldset', { className: 'checks people' });
  therapists.append(el('legend', { textContent: 'Therapists' }));
  const staff = ctx.staffValues().filter((s) => s.active || a.therapists.some((t) => t.id === s.id) || a.driver?.id === s.id)
    .sort((x, y) => x.name.localeCompare(y.name));
  const on = new Set(a.therapists.map((t) => t.id));
  for (const s of staff.filter((x) => x.role === 'therapist')) {
    const label = checkLabel('therapist', s.id, s.name, on.has(s.id));
    if (on.has(s.id)) therapists.insertBefore(label, therapists.children[1] || null); else therapists.append(label);
  }
  const driver = el('select');
  driver.append(new Option('No driver', ''), ...staff.filter((s) => s.role === 'driver').map((s) => new Option(s.name, String(s.id))));
  driver.value = a.driver ? String(a.driver.id) : '';
  const force = el('input', { type: 'checkbox' });
  const forceLabel = el('label', { className: 'check' });
  forceLabel.append(force, ' Book even though someone is not marked available — recorded as forced');
  const parts = submitRow('Save changes');
  const times = el('div', { className: 'row2' });
  times.append(field('Date', date), field('Start', start));
  form.append(times, therapists, field('Driver', driver), forceLabel, parts.err, parts.row);
  wireForm(form, parts, () => {
    const body = {};
    if (date.value !== a.date) body.date = date.value;
    if (start.value !== a.start) body.start = start.value;
    const ids = [...therapists.querySelectorAll('input:checked')].map((i) => Number(i.value));
    if (ids.join() !== a.therapists.map((t) => t.id).join()) body.therapistIds = ids;
    const d = driver.value ? Number(driver.value) : null;
    if (d !== (a.driver ? a.driver.id : null)) body.driverId = d;
    if (force.checked) body.force = true;
    if (!Object.keys(body).some((k) => k !== 'force')) {
      parts.err.textContent = 'Nothing changed: pick another time or other people first.';
      parts.err.hidden = false;
      return null;
    }
    return api('PATCH', `/api/appointments/${a.id}`, body, { headers: { 'If-Match': `"${a.version}"` } });
  });
  return form;
}
