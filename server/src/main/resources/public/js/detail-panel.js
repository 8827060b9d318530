/**
 * A modal detail panel (a <dialog>) for a board block or a staff row: a title and label/value
 * rows. Opens by click, tap or Enter on the control that called it; Escape or "Close" returns
 * focus to that control.
 *
 *   openDetails(opener, 'Anna Reyes', [['Time', '1:00 PM – 5:00 PM'], ['Note', '…']])
 */
let dialog = null;
let opener = null;

function ensure() {
  if (dialog) return dialog;
  dialog = document.createElement('dialog');
  dialog.id = 'detail-panel';
  dialog.className = 'detail-panel';
  dialog.setAttribute('aria-labelledby', 'detail-title');
  dialog.innerHTML = '<h2 id="detail-title"></h2><dl id="detail-list"></dl>'
    + '<div class="dialog-buttons"><button type="button" id="detail-close" class="primary">Close</button></div>';
  document.body.append(dialog);
  dialog.querySelector('#detail-close').addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => {
    // a live update may have redrawn the opener meanwhile: focus its replacement
    const again = opener?.isConnected ? opener
      : opener?.dataset.slotId ? document.querySelector(`.block[data-slot-id="${CSS.escape(opener.dataset.slotId)}"]`) : null;
    if (again) again.focus();
  });
  return dialog;
}

export function openDetails(from, title, rows) {
  const d = ensure();
  opener = from;
  d.querySelector('#detail-title').textContent = title;
  fillRows(d.querySelector('#detail-list'), rows);
  if (!d.open) d.showModal();
  d.querySelector('#detail-close').focus();
}

/** Fills a <dl> with [label, value] rows (a value may be text or a node); empty values are left out. */
export function fillRows(list, rows) {
  list.replaceChildren();
  for (const [label, value] of rows) {
    if (value == null || value === '') continue;
    const dt = document.createElement('dt');
    dt.textContent = label;
    const dd = document.createElement('dd');
    if (value instanceof Node) dd.append(value); else dd.textContent = value;
    list.append(dt, dd);
  }
}
