// « Copier l’adresse »: a button copies the value of a field to the clipboard and says so.
// An ES module, loaded by the pages that need it (<script type="module">), no inline script (strict CSP).
//
//   <button type="button" hidden data-ent-copy="FIELD-ID" data-ent-copy-status="STATUS-ID">Copier l’adresse</button>
//   <p id="STATUS-ID" role="status" aria-live="polite"></p>
//
// The button is hidden until this module runs: without JavaScript, the field is selected by hand.
// Where the clipboard cannot be written (an old browser, a page not served over HTTPS, a refusal),
// the field's text is selected and the person is told how to copy it.

const COPIED = "L’adresse est copiée : collez-la dans votre agenda.";
const SELECTED = "L’adresse est sélectionnée : copiez-la avec Ctrl+C (ou Cmd+C sur Mac).";

function say(status, message) {
  if (!status) {
    return;
  }
  // Emptied first, so that a second click is announced again.
  status.textContent = "";
  window.setTimeout(() => {
    status.textContent = message;
  }, 50);
}

function selectText(field) {
  field.focus();
  field.select();
  if (field.setSelectionRange) {
    field.setSelectionRange(0, field.value.length);
  }
}

async function copy(button) {
  const field = document.getElementById(button.dataset.entCopy);
  const status = document.getElementById(button.dataset.entCopyStatus);
  if (!field) {
    return;
  }
  try {
    if (!navigator.clipboard || !window.isSecureContext) {
      throw new Error("clipboard unavailable");
    }
    await navigator.clipboard.writeText(field.value);
    say(status, COPIED);
  } catch (error) {
    selectText(field);
    say(status, SELECTED);
  }
}

for (const button of document.querySelectorAll("[data-ent-copy]")) {
  button.addEventListener("click", () => copy(button));
  button.hidden = false;
}
