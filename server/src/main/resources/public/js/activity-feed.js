/**
 * "Recent changes": who changed what and when, in words, filled from GET /api/activity on load
 * and live afterwards; an unseen count on the toggle while the panel is closed; each entry is a
 * button that shows the change on the board.
 *
 *   initActivityFeed({ root, zone, nameOf(id), actives: Map(id → active), announce(text), onShow(entry) })
 *
 * `root` holds a toggle button (.activity-toggle) and the panel (.activity-panel) with a list.
 */
import { get } from './api.js';
import { subscribe } from './sync-client.js';
import { fmtTime } from './time.js';
import { ago, fmtDay, fmtWhen } from './when.js';

const TYPES = ['availability_created', 'availability_updated', 'availability_deleted', 'staff_updated', 'staff_locked'];
const KEEP = 100;

export async function initActivityFeed({ root, zone, nameOf, actives, announce, onShow }) {
  const toggle = root.querySelector('.activity-toggle');
  const panel = root.querySelector('.activity-panel');
  const list = root.querySelector('.activity-list');
  let entries = [];
  let unseen = 0;
  let unsub = null;
  const known = new Map(actives); // staff id → last known active, to word live staff changes

  const label = () => {
    toggle.querySelector('.count').textContent = unseen ? String(unseen) : '';
    toggle.querySelector('.count').hidden = !unseen;
    toggle.setAttribute('aria-label', 'Recent changes' + (unseen ? `, ${unseen} unseen` : ''));
  };
  toggle.addEventListener('click', () => {
    const open = panel.hidden;
    panel.hidden = !open;
    toggle.setAttribute('aria-expanded', String(open));
    if (open) { unseen = 0; label(); (list.querySelector('button') || panel).focus(); }
  });

  function words(e) {
    const actor = e.actorName || (e.actorId == null ? 'The system' : nameOf(e.actorId) || 'Someone');
    const subject = e.staffName || nameOf(e.staffId) || 'someone';
    const d = e.data || {};
    const whose = e.actorId != null && e.staffId != null && String(e.actorId) === String(e.staffId) ? '' : ` for ${subject}`;
    const span = d.start && d.end ? `${fmtTime(d.start)} – ${fmtTime(d.end)}` : 'a slot';
    const on = e.date ? ` on ${fmtDay(e.date)}` : '';
    const off = d.available === false ? ' (unavailable)' : '';
    switch (e.type) {
      case 'availability_created': return `${actor} added ${span}${off}${on}${whose}`;
      case 'availability_updated': return `${actor} changed a slot to ${span}${off}${on}${whose}`;
      case 'availability_deleted': return `${actor} removed a slot${on}${whose}`;
      case 'staff_updated': {
        const verb = e.verb || (d.active === false ? 'disabled' : 'updated');
        return `${actor} ${verb} ${d.name || subject}`;
      }
      case 'staff_locked': return `${d.name || subject} was locked out after ${d.failedSignIns || 'several'} failed sign-ins`;
      default: return `${actor}: ${e.type.replace(/_/g, ' ')}`;
    }
  }

  function item(e) {
    const li = document.createElement('li');
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'activity-entry';
    b.dataset.seq = String(e.seq);
    const what = document.createElement('span');
    what.className = 'what';
    what.textContent = words(e);
    const when = document.createElement('span');
    when.className = 'when muted';
    when.dataset.at = e.at;
    when.textContent = ago(e.at, zone);
    when.title = fmtWhen(e.at, zone);
    b.append(what, document.createTextNode(' · '), when);
    b.addEventListener('click', () => onShow(e));
    li.append(b);
    return li;
  }

  function render() {
    list.replaceChildren(...entries.map(item));
    root.querySelector('.activity-empty').hidden = entries.length > 0;
  }

  async function load() {
    if (unsub) { unsub(); unsub = null; }
    const page = await get('/api/activity?limit=30');
    entries = page.items;
    render();
    unsub = subscribe({ since: page.head, types: TYPES }, (ev) => {
      if (ev.type === 'reset') { load(); return; }
      if (ev.type === 'global_refresh') return;
      const e = { ...ev };
      if (ev.type === 'staff_updated' && ev.data) {
        const before = known.get(String(ev.data.id));
        if (before === undefined) e.verb = 'added';
        else if (before && !ev.data.active) e.verb = 'disabled';
        else if (!before && ev.data.active) e.verb = 'enabled';
        known.set(String(ev.data.id), ev.data.active);
      }
      entries.unshift(e);
      if (entries.length > KEEP) entries.pop();
      list.prepend(item(e));
      root.querySelector('.activity-empty').hidden = true;
      if (panel.hidden) { unseen++; label(); }
      announce(words(e));
    });
  }

  setInterval(() => {
    for (const w of list.querySelectorAll('.when')) w.textContent = ago(w.dataset.at, zone);
  }, 30000);
  label();
  await load();
}
