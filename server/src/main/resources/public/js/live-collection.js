/**
 * live-collection.js — a list a page shows, kept live: load the snapshot (a GET answering
 * {seq, items}), follow the changes from its seq, and load again on `reset` or on a
 * `global_refresh` about the view's staff and dates. Items are keyed by id; which change types
 * matter and what each does is the page's mapping, so a new kind of list needs no change here or
 * in sync-client.js. See docs/SYNC.md, "The browser client".
 *
 *   const slots = liveCollection({
 *     events: { availability_created: 'upsert', availability_updated: 'upsert', availability_deleted: 'remove' },
 *     view: () => ({                             // read at every (re)load; null = show nothing
 *       url: `/api/availability?date=${date}`,
 *       scope: { staffIds: [id], from: date, to: date },   // optional: the changes to follow
 *       accept: (slot) => slot.date === date,   // optional: belongs in the view
 *     }),
 *     onLoad: (collection) => render(),         // after each snapshot
 *     onChange: ({action, id, item, previous}, change) => …,   // after each change that altered it
 *     onError: (e) => show(e.message),          // the snapshot could not be loaded
 *   });
 *   await slots.load();                          // also: after the page changes what view() answers
 *
 *   events[type]   'upsert' (change.data is the item), 'remove' (change.data carries the id), or
 *                  (change) => ({upsert: item} | {remove: id} | null) for anything else
 *   key            item → id (default item.id)
 *
 *   get(id), values(), size, seq (the snapshot's)
 *   upsert(item) / remove(id)    the page's own write, applied from the server's answer at once;
 *                  when the same change comes back over the stream it is ignored: an item is
 *                  replaced only by a higher `version` (items without one always are), and a
 *                  removed id stays removed (a late create or update cannot bring it back).
 *                  Both answer {action: 'upsert' | 'remove', id, item, previous} or null (no change).
 *   close()        stops following
 *
 * Changes about an item the collection holds are followed even out of `scope` (a slot moved to
 * another date), so the item leaves the view instead of lingering.
 */
import { get } from './api.js';
import { subscribe } from './sync-client.js';

const FORGET_AFTER = 10000; // removed ids remembered

export function liveCollection(options) {
  return new LiveCollection(options);
}

class LiveCollection {
  constructor({ events, view, key = (item) => item.id, onLoad = () => {}, onChange = () => {}, onError = (e) => console.error(e) }) {
    if (!events || typeof view !== 'function') throw new TypeError('liveCollection: events and view() are required');
    this.events = events;
    this.view = view;
    this.key = (item) => { const id = item == null ? null : key(item); return id == null ? null : String(id); };
    this.onLoad = onLoad;
    this.onChange = onChange;
    this.onError = onError;
    this.items = new Map();
    this.removed = new Set();
    this.accept = () => true;
    this.seq = null;
    this.generation = 0; // each load supersedes the previous one and its subscription
    this.unsubscribe = null;
  }

  get size() { return this.items.size; }

  get(id) { return this.items.get(String(id)); }

  values() { return [...this.items.values()]; }

  /** Loads the snapshot of what view() now describes, then follows from its seq. */
  async load() {
    const gen = this.stopFollowing();
    const view = this.view();
    let snap = { seq: null, items: [] };
    if (view) {
      try {
        snap = await get(view.url);
      } catch (e) {
        if (gen === this.generation) this.onError(e);
        return;
      }
      if (gen !== this.generation) return;
    }
    this.accept = view?.accept || (() => true);
    this.items.clear();
    this.removed.clear();
    for (const item of snap.items) if (this.accept(item) && this.key(item) !== null) this.items.set(this.key(item), item);
    this.seq = snap.seq;
    try {
      this.onLoad(this, snap);
    } finally {
      if (view && gen === this.generation) {
        this.unsubscribe = subscribe(
          { since: snap.seq, ...(view.scope || {}), types: Object.keys(this.events), include: (ev) => this.holds(ev) },
          (ev) => this.follow(ev, gen),
        );
      }
    }
  }

  close() { this.stopFollowing(); }

  upsert(item) {
    const id = this.key(item);
    if (id === null || this.removed.has(id)) return null;
    const previous = this.items.get(id);
    if (previous && Number(previous.version) >= Number(item.version)) return null; // seen already
    if (!this.accept(item)) return this.items.delete(id) ? { action: 'remove', id, item: previous, previous } : null;
    this.items.set(id, item);
    return { action: 'upsert', id, item, previous };
  }

  remove(id) {
    id = String(id);
    this.removed.add(id);
    if (this.removed.size > FORGET_AFTER) this.removed.delete(this.removed.values().next().value);
    const previous = this.items.get(id);
    return this.items.delete(id) ? { action: 'remove', id, item: previous, previous } : null;
  }

  // ---------------------------------------------------------------------------------- internals

  stopFollowing() {
    if (this.unsubscribe) this.unsubscribe();
    this.unsubscribe = null;
    return ++this.generation;
  }

  /** What a change does to this collection per the page's mapping: {upsert: item} | {remove: id} | null. */
  actionOf(change) {
    const how = this.events[change.type];
    const data = change.data || {};
    if (typeof how === 'function') return how(change);
    if (how === 'upsert') return { upsert: data };
    if (how === 'remove') return { remove: this.key(data) };
    return null;
  }

  /** A change about an item shown here, whatever its staff or date. */
  holds(change) {
    if (!(change.type in this.events)) return false;
    const a = this.actionOf(change);
    const id = !a ? null : 'upsert' in a ? this.key(a.upsert) : a.remove == null ? null : String(a.remove);
    return id != null && this.items.has(id);
  }

  follow(change, gen) {
    if (gen !== this.generation) return;
    if (change.type === 'reset' || change.type === 'global_refresh') { this.load(); return; }
    const a = this.actionOf(change);
    if (!a) return;
    const result = 'upsert' in a ? this.upsert(a.upsert) : a.remove == null ? null : this.remove(a.remove);
    if (result) this.onChange(result, change);
  }
}
