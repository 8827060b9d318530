/**
 * Bookings on the operator board (issue 10): the board date's appointments drawn on each
 * assignee's row (a second lane under their availability), the free stretches of their available
 * time as "Book" buttons, the "Needs attention" list (pending, overdue, rejected), and polite
 * announcements of changes made elsewhere. Three live-collection.js lists: the board's date (and
 * the day before's overnight visits), every pending and every rejected appointment.
 *
 * Operators hear `appointment_removed` too when someone is taken off a visit, but the visit stays
 * on their screen: the `appointment_updated` that follows it in the same transaction redraws the
 * rows (docs/SYNC.md "Booking changes"), so that type is not followed here.
 *
 *   const bookings = initBookings({ date(), staff(id), staffValues(), slotsValues(), zone, announce,
 *                                   redraw(staffIds | null), onError });
 *   bookings.load();                     // after the board's date changed
 *   bookings.lane(staffId, trackWidth)   // the row's appointment and free-stretch buttons
 */
import { get } from './api.js';
import { liveCollection } from './live-collection.js';
import { addDays, isOvernight, fmtTime, fmtDate } from './time.js';
import { AXIS_END, STATUS_WORDS, spanOn, serviceNames, people, summary } from './booking-words.js';
import { openBookingForm } from './booking-form.js';
import { openAppointment, appointmentChanged } from './booking-panel.js';

/** Statuses that hold the assignees' time (docs/API.md "Booking rules"). */
const HOLDING = new Set(['pending', 'confirmed', 'in_progress']);
/**
 * BOOKING_TRAVEL_BUFFER_MINUTES' default: free stretches leave this gap around visits. The server
 * does not publish its setting; with another value the server's STAFF_BOOKED sentence explains.
 */
const TRAVEL_BUFFER = 30;
const MIN_STRETCH = 30;       // shorter free gaps get no "Book" button
const EVENTS = { appointment_created: 'upsert', appointment_updated: 'upsert' };
const REFRESH_MS = 60000;     // `overdue` turns true without a change: re-read pending visits each minute

/** When the visit last became pending (its waiting time starts there). */
function pendingSince(a) {
  const h = [...a.history].reverse().find((e) => e.status === 'pending');
  return h ? h.at : a.createdAt;
}

function waited(iso) {
  const m = Math.max(0, Math.floor((Date.now() - new Date(iso).getTime()) / 60000));
  if (m < 1) return 'waiting under a minute';
  return m < 60 ? `waiting ${m} min` : `waiting ${Math.floor(m / 60)} h ${m % 60} min`;
}

function rejections(a) {
  return people(a).filter((p) => p.response === 'rejected')
    .map((p) => `${p.name} rejected it${p.reason ? `: “${p.reason}”` : ''}`).join('; ');
}

export function initBookings(ctx) {
  const $ = (id) => document.getElementById(id);
  const seen = new Set(); // change seqs already announced (three lists hear some changes)
  let services = null;

  const day = liveCollection({
    events: EVENTS,
    view: () => {
      const date = ctx.date();
      const prev = addDays(date, -1);
      return {
        url: `/api/appointments?from=${prev}&to=${date}`,
        scope: { from: prev, to: date },
        accept: (a) => a.status !== 'cancelled' && (a.date === date || (a.date === prev && isOvernight(a.start, a.end))),
      };
    },
    onLoad: () => ctx.redraw(null),
    onChange: (r, change) => { ctx.redraw(staffOf(r)); changed(r, change); },
    onError: ctx.onError,
  });
  const attention = ['pending', 'rejected'].map((status) => liveCollection({
    events: EVENTS,
    view: () => ({ url: `/api/appointments?status=${status}`, accept: (a) => a.status === status }),
    onLoad: renderAttention,
    onChange: (r, change) => { renderAttention(); changed(r, change); },
    onError: ctx.onError,
  }));

  function staffOf({ item, previous }) {
    return new Set([item, previous].filter(Boolean).flatMap((a) => people(a).map((p) => String(p.id))));
  }

  /** A change from the stream: refresh an open panel and say it (once per change) in words. */
  function changed(r, change) {
    const a = change.data;
    if (!a || !a.client) return;
    appointmentChanged(a);
    if (seen.has(change.seq)) return;
    seen.add(change.seq);
    if (seen.size > 500) seen.delete(seen.values().next().value);
    const when = a.date === ctx.date() ? '' : ` on ${fmtDate(a.date)}`;
    if (change.type === 'appointment_created') ctx.announce(`New booking: ${summary(a)}${when}, pending`);
    else if (a.status === 'rejected') ctx.announce(`${summary(a)}${when} rejected. ${rejections(a)}`);
    else ctx.announce(`${summary(a)}${when} ${STATUS_WORDS[a.status]}${a.overdue ? ', overdue' : ''}`);
  }

  function find(id) {
    return day.get(id) || attention.map((c) => c.get(id)).find(Boolean) || null;
  }

  /** The page's own write: show the server's answer at once (the stream's copy is then ignored). */
  function applied(a) {
    const before = find(a.id);
    // upsert, never remove: an item its list no longer accepts leaves it, and may come back later
    for (const c of [day, ...attention]) c.upsert(a);
    ctx.redraw(new Set([...people(a), ...(before ? people(before) : [])].map((p) => String(p.id))));
    renderAttention();
  }

  function panelContext() {
    return { find, applied, nameOf: (id) => ctx.staff(id)?.name, staffValues: ctx.staffValues, zone: ctx.zone, announce: ctx.announce };
  }

  function open(opener, id) { openAppointment(opener, id, panelContext()); }

  async function book(opener, prefill) {
    if (!services) {
      try {
        services = get('/api/services').then((r) => r.items.filter((s) => s.active));
        await services;
      } catch (e) { services = null; ctx.announce(e.message); return; }
    }
    openBookingForm(opener, prefill, {
      services: await services,
      staffValues: ctx.staffValues,
      onBooked: (a) => {
        applied(a);
        ctx.announce(`Booked: ${summary(a)} on ${fmtDate(a.date)}, pending`);
      },
    });
  }

  /** The row's lane: its visits on this date and "Book" buttons on the free parts of its available time. */
  function lane(staffId, trackWidth) {
    const date = ctx.date();
    const person = ctx.staff(staffId);
    const out = [];
    const busy = [];
    for (const a of day.values()) {
      const me = people(a).find((p) => String(p.id) === staffId);
      if (!me) continue;
      const s = spanOn(a, date);
      if (!s) continue;
      if (HOLDING.has(a.status) && me.response !== 'rejected') busy.push([s.from - TRAVEL_BUFFER, s.to + TRAVEL_BUFFER]);
      out.push(visitButton(a, s, trackWidth));
    }
    if (person && person.active) {
      const date0 = date;
      const free = [];
      const blocked = [...busy];
      for (const slot of ctx.slotsValues()) {
        if (String(slot.staffId) !== staffId) continue;
        const s = spanOn(slot, date0);
        if (!s) continue;
        (slot.available ? free : blocked).push([s.from, s.to]);
      }
      for (const [from, to] of subtract(free, blocked)) {
        const start = Math.ceil(from / 5) * 5;
        if (to - start < MIN_STRETCH) continue;
        out.push(stretchButton(person, start, to, trackWidth));
      }
    }
    return out;
  }

  function visitButton(a, s, trackWidth) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = `visit status-${a.status}${a.overdue ? ' overdue' : ''}${s.carry ? ' carry' : ''}`;
    b.dataset.appointmentId = String(a.id);
    b.dataset.status = a.status;
    place(b, s.from, s.to);
    const word = STATUS_WORDS[a.status] + (a.overdue ? ', overdue' : '');
    const px = ((s.to - s.from) / AXIS_END) * (trackWidth || 2000);
    b.textContent = px < 110 ? (a.overdue ? 'overdue' : STATUS_WORDS[a.status]) : `${word} · ${a.client.name} · ${serviceNames(a)}`;
    const over = s.carry ? `, overnight from ${fmtDate(a.date)}` : isOvernight(a.start, a.end) ? ', ends the next day' : '';
    b.setAttribute('aria-label', `Appointment ${fmtTime(a.start)} – ${fmtTime(a.end)}${over}: ${serviceNames(a)} for ${a.client.name}, ${word}${a.forced ? ', forced' : ''}`);
    b.addEventListener('click', () => open(b, a.id));
    return b;
  }

  function stretchButton(person, from, to, trackWidth) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'stretch';
    place(b, from, to);
    const date = from >= 1440 ? addDays(ctx.date(), 1) : ctx.date();
    const start = hhmm(from % 1440);
    b.dataset.start = start;
    b.dataset.staffId = String(person.id);
    const px = ((to - from) / AXIS_END) * (trackWidth || 2000);
    b.textContent = px < 110 ? '+ Book' : `+ Book ${fmtTime(start)}`;
    b.setAttribute('aria-label', `Book ${person.name} from ${fmtTime(start)}${date !== ctx.date() ? ` on ${fmtDate(date)}` : ''} (free until ${fmtTime(hhmm(to % 1440))})`);
    b.addEventListener('click', () => book(b, { date, start, person }));
    return b;
  }

  function renderAttention() {
    const list = $('attention-list');
    const items = attention.flatMap((c) => c.values());
    const rank = (a) => (a.overdue ? 0 : a.status === 'rejected' ? 1 : 2);
    items.sort((x, y) => rank(x) - rank(y) || String(pendingSince(x)).localeCompare(String(pendingSince(y))));
    const focusedId = list.contains(document.activeElement) ? document.activeElement.dataset.appointmentId : null;
    list.replaceChildren(...items.map((a) => {
      const li = document.createElement('li');
      const b = document.createElement('button');
      b.type = 'button';
      b.className = `attention-item status-${a.status}${a.overdue ? ' overdue' : ''}`;
      b.dataset.appointmentId = String(a.id);
      const tag = document.createElement('strong');
      tag.className = 'tag';
      tag.textContent = a.overdue ? 'Overdue' : a.status === 'rejected' ? 'Rejected' : 'Pending';
      const what = document.createElement('span');
      what.textContent = ` ${fmtDate(a.date)}, ${summary(a)}`;
      const why = document.createElement('span');
      why.className = 'why';
      why.textContent = a.status === 'rejected' ? rejections(a) : `${waited(pendingSince(a))}; ${answers(a)}`;
      b.append(tag, what, document.createElement('br'), why);
      b.addEventListener('click', () => open(b, a.id));
      li.append(b);
      return li;
    }));
    if (focusedId) list.querySelector(`[data-appointment-id="${CSS.escape(focusedId)}"]`)?.focus();
    $('attention-count').textContent = items.length ? `(${items.length})` : '';
    $('attention-empty').hidden = items.length > 0;
  }

  function answers(a) {
    const waiting = people(a).filter((p) => p.response === 'pending').map((p) => p.name);
    return waiting.length ? `no answer yet from ${waiting.join(', ')}` : 'all answered';
  }

  setInterval(() => {
    if (attention[0].size) { attention[0].load(); day.load(); }
    else renderAttention();
  }, REFRESH_MS);

  return {
    load: () => day.load(),
    loadAll: () => Promise.all([day.load(), ...attention.map((c) => c.load())]),
    lane,
    book,
    open,
  };
}

function place(b, from, to) {
  b.style.left = ((from / AXIS_END) * 100) + '%';
  b.style.width = `calc(${((to - from) / AXIS_END) * 100}% - 2px)`;
}

function hhmm(m) { return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`; }

/** Intervals `free` minus intervals `blocked`, all [from, to) on the axis. */
function subtract(free, blocked) {
  let out = free.map(([a, b]) => [a, b]);
  for (const [c, d] of blocked) {
    out = out.flatMap(([a, b]) => (d <= a || c >= b ? [[a, b]] : [[a, c], [d, b]].filter(([x, y]) => y > x)));
  }
  return out.sort((x, y) => x[0] - y[0]);
}
