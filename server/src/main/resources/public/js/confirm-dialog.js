/**
 * An in-page confirmation (a modal <dialog>) in place of window.confirm: screen readers read its
 * title and text, it is answered with the keyboard like the rest of the page (Tab, Enter, Escape
 * cancels), and when it is cancelled focus goes back to the control that asked. The safe choice
 * has focus first, so a stray Enter changes nothing.
 *
 *   if (await ask({ title: 'Delete this slot?', text: '…', yes: 'Delete slot', danger: true })) …
 */
let dialog = null;

function build() {
  dialog = document.createElement('dialog');
  dialog.id = 'ask-dialog';
  dialog.setAttribute('aria-labelledby', 'ask-title');
  dialog.setAttribute('aria-describedby', 'ask-text');
  dialog.innerHTML = '<form method="dialog"><h2 id="ask-title"></h2><p id="ask-text"></p>'
    + '<div class="dialog-buttons"><button id="ask-yes" type="submit" value="yes"></button>'
    + '<button id="ask-no" type="submit" value="no"></button></div></form>';
  document.body.append(dialog);
}

/** Shows the question; resolves true when the person chose {@code yes}, false on the other button or Escape. */
export function ask({ title, text, yes, no = 'Cancel', danger = false }) {
  if (!dialog) build();
  const opener = document.activeElement;
  dialog.querySelector('#ask-title').textContent = title;
  dialog.querySelector('#ask-text').textContent = text || '';
  const yesButton = dialog.querySelector('#ask-yes');
  yesButton.textContent = yes;
  yesButton.className = danger ? 'danger-solid' : 'primary';
  dialog.querySelector('#ask-no').textContent = no;
  dialog.returnValue = '';
  dialog.showModal();
  dialog.querySelector('#ask-no').focus();
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      const yes = dialog.returnValue === 'yes';
      if (!yes && opener && opener.isConnected && opener !== document.body) opener.focus();
      resolve(yes);
    }, { once: true });
  });
}
