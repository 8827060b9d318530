// Test-only: Browser.watchPage() runs this in the page through Selenium's executeScript; no
// product page loads it. It records, with the browser's clock (ms since the epoch, the same clock
// as the test's on this machine), what the page visibly did:
//   {kind: 'shown' | 'changed' | 'gone', id, version}  an element with data-slot-id appeared, got
//       another data-version/data-available, or disappeared (a board block or a table row);
//   {kind: 'snapshot <path>', id, version: seq}  the page loaded a list snapshot (a GET /api/...
//       answering {seq, items}, e.g. 'snapshot /api/availability'); id is its `to` or `date` parameter.
// into window.__pageWatch (bounded). Running it again on the same page does nothing.
(() => {
  if (window.__pageWatch) return;
  const log = (window.__pageWatch = []);
  const record = (entry) => {
    log.push({ ...entry, at: Date.now() });
    if (log.length > 2000) log.shift();
  };

  const shown = () => {
    const m = new Map();
    for (const el of document.querySelectorAll('[data-slot-id]')) {
      m.set(el.dataset.slotId, `${el.dataset.version}/${el.dataset.available}`);
    }
    return m;
  };
  let before = shown();
  new MutationObserver(() => {
    const now = shown();
    for (const [id, v] of now) {
      if (!before.has(id)) record({ kind: 'shown', id, version: v });
      else if (before.get(id) !== v) record({ kind: 'changed', id, version: v });
    }
    for (const id of before.keys()) if (!now.has(id)) record({ kind: 'gone', id, version: null });
    before = now;
  }).observe(document.body, {
    subtree: true, childList: true, attributes: true, attributeFilter: ['data-slot-id', 'data-version', 'data-available'],
  });

  const fetch = window.fetch;
  window.fetch = async (input, init) => {
    const res = await fetch(input, init);
    const url = new URL(typeof input === 'string' ? input : input.url, location.href);
    const method = (init?.method || 'GET').toUpperCase();
    const json = (res.headers.get('Content-Type') || '').startsWith('application/json');
    if (method === 'GET' && url.pathname.startsWith('/api/') && res.ok && json) {
      res.clone().json().then((body) => {
        if (body && typeof body.seq === 'number' && Array.isArray(body.items)) {
          const id = url.searchParams.get('to') || url.searchParams.get('date');
          record({ kind: 'snapshot ' + url.pathname, id, version: body.seq });
        }
      }, () => {});
    }
    return res;
  };
})();
