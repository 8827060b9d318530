/**
 * The slots a view shows, keyed by id, deduped by version.
 *
 * The tab that writes applies the server's answer at once (`put`/`remove`); when its own change
 * comes back over the sync stream, `apply` sees the same or an older version and ignores it, so
 * nothing is applied twice. A deleted id is remembered, so a late create/update event for it
 * cannot bring it back.
 *
 *   store.load(items)            replace everything (a fresh snapshot)
 *   store.put(slot) → 'put' | 'removed' | null   own write (null: already shown)
 *   store.remove(id) → boolean   own delete (true if it was shown)
 *   store.apply(change) → 'put' | 'removed' | null   a change event from sync-client.js
 */
export class SlotStore {
  constructor(accept = () => true) {
    this.accept = accept; // slot → boolean: belongs in this view (staff, dates)
    this.slots = new Map();
    this.deleted = new Set();
  }

  load(items) {
    this.slots.clear();
    this.deleted.clear();
    for (const s of items) if (this.accept(s)) this.slots.set(String(s.id), s);
  }

  get(id) { return this.slots.get(String(id)); }

  values() { return [...this.slots.values()]; }

  put(slot) {
    const id = String(slot.id);
    if (this.deleted.has(id)) return null;
    const cur = this.slots.get(id);
    if (cur && Number(cur.version) >= Number(slot.version)) return null;
    if (!this.accept(slot)) return this.slots.delete(id) ? 'removed' : null;
    this.slots.set(id, slot);
    return 'put';
  }

  remove(id) {
    id = String(id);
    this.deleted.add(id);
    if (this.deleted.size > 10000) this.deleted.delete(this.deleted.values().next().value);
    return this.slots.delete(id);
  }

  apply(change) {
    const data = change.data || {};
    switch (change.type) {
      case 'availability_created':
      case 'availability_updated':
        return this.put(data);
      case 'availability_deleted':
        return this.remove(data.id) ? 'removed' : null;
      default:
        return null;
    }
  }
}
