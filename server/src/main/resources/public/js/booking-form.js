/**
 * The booking form (the <dialog id="book-dialog"> in board.html): client search with an inline
 * new client, services with the end time computed, therapists, driver, address, notes, and the
 * force option once the server said someone is not available. Server refusals are shown as the
 * server's sentence at the top of the form; the form stays filled. One Idempotency-Key per user
 * action, kept for a retry while the outcome is unknown (timeout, network, 5xx).
 *
 *   openBookingForm(opener, { date, start, person }, { services, staffValues(), onBooked(appointment) })
 */
import { api, get, actionKeys } from './api.js';
import { fmtTime, minutes } from './time.js';
import { checkLabel } from './booking-words.js';
import { money } from './money.js';

const $ = (id) => document.getElementById(id);
const SEARCH_DELAY_MS = 250;

let opener = null;
let ctx = null;
let client = null;           // the chosen Client
let addressEdited = false;
const bookKeys = actionKeys();   // a retried submit (unknown outcome) books once
const clientKeys = actionKeys(); // likewise a retried new client
let searchTimer = null;
let searchSeq = 0;
let wired = false;

export function openBookingForm(from, prefill, context) {
  wire();
  opener = from;
  ctx = context;
  const dialog = $('book-dialog');
  $('book-form').reset();
  showError('');
  setClient(null);
  addressEdited = false;
  bookKeys.settled();
  $('book-force-label').hidden = true;
  $('book-new-client').hidden = true;
  $('book-client-new').setAttribute('aria-expanded', 'false');
  $('book-client-results').replaceChildren();
  $('book-client-status').textContent = '';
  $('book-date').value = prefill.date;
  $('book-start').value = prefill.start || '';
  fillServices(context.services);
  fillPeople(prefill.person);
  const who = prefill.person ? ` for ${prefill.person.name}` : '';
  $('book-title').textContent = `Book a visit${who}`;
  updateEnd();
  if (!dialog.open) dialog.showModal();
  $('book-client-q').focus();
}

function wire() {
  if (wired) return;
  wired = true;
  const dialog = $('book-dialog');
  dialog.addEventListener('close', () => { if (opener?.isConnected) opener.focus(); else refocus(); });
  $('book-cancel').addEventListener('click', () => dialog.close());
  $('book-form').addEventListener('submit', (e) => { e.preventDefault(); submit(); });
  $('book-form').addEventListener('change', (e) => { if (e.target.name === 'service' || e.target.id === 'book-start') updateEnd(); });
  $('book-start').addEventListener('input', updateEnd);
  $('book-address').addEventListener('input', () => { addressEdited = true; });
  $('book-client-q').addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(search, SEARCH_DELAY_MS);
  });
  $('book-client-q').addEventListener('keydown', (e) => {
    if (e.key === 'Enter') { e.preventDefault(); clearTimeout(searchTimer); search(); }
  });
  $('book-client-change').addEventListener('click', () => { setClient(null); $('book-client-q').focus(); });
  $('book-client-new').addEventListener('click', () => {
    const box = $('book-new-client');
    box.hidden = !box.hidden;
    $('book-client-new').setAttribute('aria-expanded', String(!box.hidden));
    if (!box.hidden) {
      const q = $('book-client-q').value.trim();
      if (q && !$('new-client-name').value) $(/^[+\d][\d\s-]*$/.test(q) ? 'new-client-phone' : 'new-client-name').value = q;
      $('new-client-name').focus();
    }
  });
  $('new-client-save').addEventListener('click', saveClient);
}

/** The opener was redrawn by a live update meanwhile: focus its replacement, else the board. */
function refocus() {
  const d = opener?.dataset || {};
  const again = d.staffId ? document.querySelector(`.stretch[data-staff-id="${CSS.escape(d.staffId)}"]`)
    || document.querySelector(`.board-row[data-staff-id="${CSS.escape(d.staffId)}"] .name-button`) : null;
  (again || $('board-date'))?.focus();
}

function showError(text) {
  $('book-error').textContent = text || '';
  $('book-error').hidden = !text;
}

// ------------------------------------------------------------------------------------ client

function setClient(c) {
  client = c;
  $('book-client-chosen').hidden = !c;
  $('book-client-find').hidden = !!c;
  $('book-client-name').textContent = c ? `${c.name}, ${c.phone}${c.address ? `, ${c.address}` : ''}` : '';
  if (c && (!addressEdited || !$('book-address').value)) { $('book-address').value = c.address || ''; addressEdited = false; }
}

function pick(c) {
  setClient(c);
  $('book-client-change').focus();
}

async function search() {
  const q = $('book-client-q').value.trim();
  const results = $('book-client-results');
  if (!q) { results.replaceChildren(); $('book-client-status').textContent = ''; return; }
  const mine = ++searchSeq;
  try {
    const res = await get('/api/clients?q=' + encodeURIComponent(q));
    if (mine !== searchSeq) return;
    results.replaceChildren(...res.items.map((c) => {
      const li = document.createElement('li');
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = `${c.name}, ${c.phone}`;
      b.setAttribute('aria-label', `Choose ${c.name}, ${c.phone}`);
      b.addEventListener('click', () => pick(c));
      li.append(b);
      return li;
    }));
    $('book-client-status').textContent = res.items.length
      ? `${res.items.length} client${res.items.length === 1 ? '' : 's'} found.` : `No client matches “${q}”. Add them with New client.`;
  } catch (e) {
    if (mine === searchSeq) $('book-client-status').textContent = e.message;
  }
}

async function saveClient() {
  const err = $('new-client-error');
  err.hidden = true;
  const body = { name: $('new-client-name').value.trim(), phone: $('new-client-phone').value.trim() };
  const address = $('new-client-address').value.trim();
  if (address) body.address = address;
  const button = $('new-client-save');
  button.disabled = true;
  try {
    const c = await api('POST', '/api/clients', body, { headers: clientKeys.headersFor(body) });
    clientKeys.settled();
    $('book-new-client').hidden = true;
    $('book-client-new').setAttribute('aria-expanded', 'false');
    for (const id of ['new-client-name', 'new-client-phone', 'new-client-address']) $(id).value = '';
    pick(c);
  } catch (e) {
    if (e.status >= 400 && e.status < 500) clientKeys.settled();
    err.replaceChildren(e.message);
    if (e.code === 'DUPLICATE_CLIENT' && e.error.existingId != null) {
      const use = document.createElement('button');
      use.type = 'button';
      use.className = 'link-button';
      use.textContent = 'Use the existing client';
      use.addEventListener('click', async () => {
        try { pick(await get('/api/clients/' + e.error.existingId)); } catch (e2) { err.textContent = e2.message; }
      });
      err.append(' ', use);
    } else if (e.fields) {
      err.append(' ' + Object.entries(e.fields).map(([k, v]) => `${k} ${v}`).join('; '));
    }
    err.hidden = false;
  } finally {
    button.disabled = false;
  }
}

// ------------------------------------------------------------------------------ the choices

function fillServices(services) {
  const box = $('book-services');
  box.replaceChildren(...services.map((s) => checkLabel('service', s.id, `${s.name} · ${s.durationMinutes} min · ${money(s.price)}`,
    false, { minutes: String(s.durationMinutes) })));
  if (!services.length) box.textContent = 'No services yet: an operator adds them through the API (docs/API.md, Services).';
}

function fillPeople(person) {
  const all = ctx.staffValues().filter((s) => s.active).sort((a, b) => a.name.localeCompare(b.name));
  const therapists = $('book-therapists');
  therapists.replaceChildren(...all.filter((s) => s.role === 'therapist')
    .map((s) => checkLabel('therapist', s.id, s.name, person?.id === s.id)));
  const driver = $('book-driver');
  driver.replaceChildren(new Option('No driver', ''), ...all.filter((s) => s.role === 'driver').map((s) => new Option(s.name, String(s.id))));
  driver.value = person?.role === 'driver' ? String(person.id) : '';
  // the prefilled person first, so a long list need not be scrolled
  const mine = therapists.querySelector('input:checked');
  if (mine) therapists.prepend(mine.closest('label'));
}

const checked = (name) => [...document.querySelectorAll(`#book-form input[name="${name}"]:checked`)];

function updateEnd() {
  const start = $('book-start').value;
  const total = checked('service').reduce((n, i) => n + Number(i.dataset.minutes), 0);
  const out = $('book-end');
  if (!total || !start) { out.textContent = total ? `${total} min` : 'Choose one or more services to see the end time.'; return; }
  const endMin = minutes(start) + total;
  const end = `${String(Math.floor(endMin / 60) % 24).padStart(2, '0')}:${String(endMin % 60).padStart(2, '0')}`;
  const length = total >= 60 ? `${Math.floor(total / 60)} h${total % 60 ? ` ${total % 60} min` : ''}` : `${total} min`;
  out.textContent = endMin >= 1440
    ? `Ends ${fmtTime(end)} the next day (overnight), ${length}.`
    : `Ends ${fmtTime(end)}, ${length}.`;
}

// ---------------------------------------------------------------------------------- submit

function body() {
  const b = {
    clientId: client?.id,
    serviceIds: checked('service').map((i) => Number(i.value)),
    therapistIds: checked('therapist').map((i) => Number(i.value)),
    date: $('book-date').value,
    start: $('book-start').value,
  };
  if ($('book-driver').value) b.driverId = Number($('book-driver').value);
  const address = $('book-address').value.trim();
  if (address && address !== (client?.address || '')) b.address = address;
  const notes = $('book-notes').value.trim();
  if (notes) b.notes = notes;
  if (!$('book-force-label').hidden && $('book-force').checked) b.force = true;
  return b;
}

function missing(b) {
  if (!b.clientId) return ['Choose a client (search by name or phone) or add a new one.', $('book-client-q')];
  if (!b.serviceIds.length) return ['Choose at least one service.', $('book-services').querySelector('input')];
  if (!b.date || !b.start) return ['Give the date and the start time.', $(b.date ? 'book-start' : 'book-date')];
  if (!b.therapistIds.length) return ['Choose at least one therapist.', $('book-therapists').querySelector('input')];
  return null;
}

async function submit() {
  const b = body();
  const problem = missing(b);
  if (problem) { showError(problem[0]); problem[1]?.focus(); return; }
  const button = $('book-submit');
  button.disabled = true;
  showError('');
  try {
    const a = await api('POST', '/api/appointments', b, { headers: bookKeys.headersFor(b) });
    bookKeys.settled();
    $('book-dialog').close();
    ctx.onBooked(a);
  } catch (e) {
    if (e.status >= 400 && e.status < 500) bookKeys.settled(); // refused: nothing stored, a changed form is a new action
    showError(refusal(e));
    if (e.code === 'NOT_AVAILABLE') offerForce(e);
  } finally {
    button.disabled = false;
  }
}

/** The server's sentence, plus which fields were wrong for VALIDATION. */
function refusal(e) {
  if (e.code === 'VALIDATION' && e.fields) {
    return `${e.message} ${Object.entries(e.fields).map(([k, v]) => `${k} ${v}`).join('; ')}`.trim();
  }
  return e.message;
}

function offerForce(e) {
  const ids = (e.error.staffIds || []).map(String);
  const names = ctx.staffValues().filter((s) => ids.includes(String(s.id))).map((s) => s.name);
  const who = names.length ? names.join(' and ') : 'someone';
  $('book-force-text').textContent = `Book even though ${who} ${names.length > 1 ? 'are' : 'is'} not marked available — recorded as forced`;
  $('book-force-label').hidden = false;
  $('book-force').focus();
}
