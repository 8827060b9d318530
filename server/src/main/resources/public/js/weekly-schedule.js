/**
 * The usual week on the availability page (issue 11): edit the windows of each weekday, save
 * (PUT with If-Match), "Apply to the next 4 weeks" with a readable report of what was skipped,
 * and "Copy this day to…". Own file, so availability.js stays small.
 */
import { api, get, actionKeys } from './api.js';
import { businessZone, todayIn, fmtTime, fmtDate, halfHours, isOvernight, addDays } from './time.js';
import { showDate } from './week-view.js';

const $ = (id) => document.getElementById(id);
const applyKeys = actionKeys(); // a retried Apply or Copy stores nothing twice and gets the first answer
const copyKeys = actionKeys();
const KEYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const NAMES = { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' };

let me = null;
let zone = 'UTC';
let version = 0;
let loadedFor = null;

async function init() {
  if (!$('weekly-section')) return;
  me = await get('/api/me');
  zone = await businessZone();
  $('weekly-form').addEventListener('submit', (e) => { e.preventDefault(); save().finally(() => keepFocus($('weekly-save'))); });
  $('weekly-apply').addEventListener('click', applyNext);
  $('copy-form').addEventListener('submit', (e) => { e.preventDefault(); copyDay(); });
  $('date').addEventListener('change', renderCopyChoices);
  const picker = $('staff-select');
  if (picker) picker.addEventListener('change', load);
  for (let i = 0; i < 100 && me.role === 'operator' && !(picker && picker.value); i++) await new Promise((r) => setTimeout(r, 50));
  await load();
  renderCopyChoices();
}

function whose() { return me.role === 'operator' ? ($('staff-select') && $('staff-select').value) : String(me.id); }

async function load() {
  const id = whose();
  if (!id) return;
  try {
    const week = await get(`/api/staff/${encodeURIComponent(id)}/weekly-schedule`);
    loadedFor = id;
    fill(week);
    say('');
  } catch (e) { say(e.message, true); }
}

function fill(week) {
  version = week.version;
  $('weekly-auto').checked = Boolean(week.autoApply);
  const rows = $('weekly-days');
  rows.replaceChildren(...KEYS.map((k) => dayRow(k, week.days[k] || [])));
}

function dayRow(key, windows) {
  const row = document.createElement('fieldset');
  row.className = 'weekly-day';
  row.dataset.day = key;
  const legend = document.createElement('legend');
  legend.textContent = NAMES[key];
  const list = document.createElement('div');
  list.className = 'weekly-windows';
  for (const w of windows) list.append(windowRow(key, w.start, w.end));
  const add = document.createElement('button');
  add.type = 'button';
  add.className = 'weekly-add';
  add.textContent = 'Add hours';
  add.setAttribute('aria-label', `Add hours on ${NAMES[key]}`);
  add.addEventListener('click', () => { const r = windowRow(key, '13:00', '17:00'); list.append(r); r.querySelector('select').focus(); });
  row.append(legend, list, add);
  return row;
}

function windowRow(key, start, end) {
  const div = document.createElement('div');
  div.className = 'weekly-window';
  const s = select(start, `${NAMES[key]} from`);
  const e = select(end, `${NAMES[key]} until`);
  s.className = 'w-start';
  e.className = 'w-end';
  const hint = document.createElement('span');
  hint.className = 'hint';
  const upd = () => { hint.textContent = isOvernight(s.value, e.value) ? `until ${fmtTime(e.value)} the next day` : ''; };
  s.addEventListener('change', upd);
  e.addEventListener('change', upd);
  upd();
  const rm = document.createElement('button');
  rm.type = 'button';
  rm.className = 'weekly-remove';
  rm.textContent = 'Remove';
  rm.setAttribute('aria-label', `Remove these ${NAMES[key]} hours`);
  rm.addEventListener('click', () => div.remove());
  div.append(s, document.createTextNode(' to '), e, hint, rm);
  return div;
}

function select(value, label) {
  const sel = document.createElement('select');
  sel.setAttribute('aria-label', label);
  for (const t of halfHours()) sel.append(new Option(fmtTime(t), t));
  if (![...sel.options].some((o) => o.value === value)) sel.append(new Option(fmtTime(value), value));
  sel.value = value;
  return sel;
}

function collect() {
  const days = {};
  for (const row of $('weekly-days').querySelectorAll('.weekly-day')) {
    days[row.dataset.day] = [...row.querySelectorAll('.weekly-window')].map((w) => ({
      start: w.querySelector('.w-start').value, end: w.querySelector('.w-end').value }));
  }
  return { days, autoApply: $('weekly-auto').checked };
}

async function save() {
  const id = whose();
  const button = $('weekly-save');
  button.disabled = true;
  try {
    const saved = await api('PUT', `/api/staff/${encodeURIComponent(id)}/weekly-schedule`, collect(),
      { headers: { 'If-Match': `"${version}"` } });
    fill(saved);
    say(`Usual week saved.${saved.autoApply ? ' It is kept applied for the coming weeks.' : ''}`);
    return true;
  } catch (e) {
    if (e.code === 'VERSION_MISMATCH' && e.error.current) {
      fill(e.error.current);
      say('Someone else changed this usual week meanwhile; the newer version is shown. Make your change again if it is still needed.', true);
    } else {
      say(e.message, true);
    }
    return false;
  } finally {
    button.disabled = false;
  }
}

async function applyNext() {
  const id = whose();
  const button = $('weekly-apply');
  button.disabled = true;
  try {
    if (!(await save())) return;
    const from = todayIn(zone);
    const body = { from, to: addDays(from, 27) };
    if (me.role === 'operator') body.staffId = Number(id);
    const r = await api('POST', '/api/availability/apply-weekly', body, { headers: applyKeys.headersFor(body) });
    applyKeys.settled();
    report($('weekly-report'), r, 'the next 4 weeks');
    if (r.created.length) showDate(r.created[0].date);
  } catch (e) {
    if (e.status >= 400 && e.status < 500) applyKeys.settled();
    say(e.message, true);
  } finally {
    button.disabled = false;
    keepFocus(button);
  }
}

/** A button disabled while it had focus drops it to the page body; give it back so the keyboard user stays put. */
function keepFocus(button) {
  if (!document.activeElement || document.activeElement === document.body) button.focus();
}

function report(node, r, what) {
  node.replaceChildren();
  const head = document.createElement('p');
  head.textContent = `Added ${r.created.length} slot${r.created.length === 1 ? '' : 's'} for ${what}.`
    + (r.skipped.length ? ` Skipped ${r.skipped.length}:` : '');
  node.append(head);
  if (r.skipped.length) {
    const ul = document.createElement('ul');
    ul.className = 'skipped';
    for (const s of r.skipped) {
      const li = document.createElement('li');
      li.textContent = `${fmtDate(s.date)}, ${fmtTime(s.start)} – ${fmtTime(s.end)}: ${reasonText(s)}`;
      ul.append(li);
    }
    node.append(ul);
  }
  node.hidden = false;
}

function reasonText(s) {
  switch (s.reason) {
    case 'already_there': return 'already in your availability.';
    case 'past': return 'that time is already over.';
    case 'booked': return `a visit is booked in that time (appointment ${s.conflictingAppointmentId}); left as it is.`;
    case 'no_such_time': return 'that time does not exist that day (the clocks change).';
    default: {
      const text = (s.message || 'Overlaps something already set.').replace(/(\d\d:\d\d)–(\d\d:\d\d)/, (m, a, b) => `${fmtTime(a)} – ${fmtTime(b)}`);
      return text.charAt(0).toLowerCase() + text.slice(1);
    }
  }
}

function renderCopyChoices() {
  const from = $('date').value;
  const box = $('copy-days');
  if (!from || !box) return;
  $('copy-from').textContent = fmtDate(from);
  box.replaceChildren();
  for (let i = 1; i <= 7; i++) {
    const d = addDays(from, i);
    const label = document.createElement('label');
    label.className = 'check';
    const cb = document.createElement('input');
    cb.type = 'checkbox';
    cb.value = d;
    label.append(cb, ' ' + fmtDate(d).replace(/, \d{4}$/, ''));
    box.append(label);
  }
}

async function copyDay() {
  const fromDate = $('date').value;
  const toDates = [...$('copy-days').querySelectorAll('input:checked')].map((c) => c.value);
  if (!toDates.length) { report($('copy-report'), { created: [], skipped: [] }, 'no days: tick at least one day'); return; }
  const body = { fromDate, toDates };
  if (me.role === 'operator') body.staffId = Number(whose());
  const button = $('copy-submit');
  button.disabled = true;
  try {
    const r = await api('POST', '/api/availability/copy', body, { headers: copyKeys.headersFor(body) });
    copyKeys.settled();
    report($('copy-report'), r, toDates.length === 1 ? fmtDate(toDates[0]) : `${toDates.length} days`);
    renderCopyChoices();
  } catch (e) {
    if (e.status >= 400 && e.status < 500) copyKeys.settled();
    report($('copy-report'), { created: [], skipped: [] }, 'nothing');
    $('copy-report').firstChild.textContent = e.message;
  } finally {
    button.disabled = false;
    keepFocus(button);
  }
}

function say(text, bad) {
  const el = $('weekly-status');
  el.textContent = text;
  el.className = bad ? 'error' : 'success';
  el.hidden = !text;
}

init().catch((e) => say(e.message, true));
