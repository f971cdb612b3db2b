// Messagerie, writing side (an ES module, no inline script: strict CSP).
//
// 1. The recipient field becomes a combobox (WAI-ARIA 1.2 pattern): htmx fills the listbox with
//    suggestions as one types; ArrowDown/ArrowUp move through them, Enter adds the highlighted one
//    as a chip in the field chosen under « Ajouter en » (À, Copie, Copie cachée), Escape closes the
//    list; each chip has a « Retirer … » button. Without JavaScript the same page works with submits.
// 2. The draft is saved every few seconds when something changed, and when the page is hidden or
//    left (navigator.sendBeacon); the status « Brouillon enregistré à 8 h 30 » is in #mail-status.
// 3. After « Envoyer », the countdown of « Annuler l’envoi ».

const AUTOSAVE_MS = 5000;

function announce(text) {
  const status = document.getElementById("mail-status");
  if (status) status.textContent = text;
}

// --- The recipient combobox ------------------------------------------------------------------

function setupCombobox(form) {
  const input = form.querySelector("[data-mail-query]");
  const listbox = form.querySelector("[data-mail-listbox]");
  if (!input || !listbox) return;
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", listbox.id);
  input.setAttribute("aria-expanded", "false");
  form.querySelectorAll("[data-mail-js-hint]").forEach((hint) => { hint.hidden = false; });
  let active = -1;

  const options = () => Array.from(listbox.querySelectorAll('[role="option"]:not([aria-disabled="true"])'));
  const open = () => {
    const has = listbox.querySelector('[role="option"]') !== null;
    listbox.hidden = !has;
    input.setAttribute("aria-expanded", has ? "true" : "false");
  };
  const close = () => {
    listbox.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  };
  const highlight = (index) => {
    const list = options();
    if (!list.length) return;
    active = (index + list.length) % list.length;
    list.forEach((option, i) => option.setAttribute("aria-selected", i === active ? "true" : "false"));
    input.setAttribute("aria-activedescendant", list[active].id);
    list[active].scrollIntoView({ block: "nearest" });
  };
  const fieldChosen = () => {
    const checked = form.querySelector('input[name="add_to"]:checked');
    return checked ? checked.value : "to";
  };
  const choose = (option) => {
    const name = fieldChosen();
    addChip(form, name, option.dataset.token, option.dataset.label);
    input.value = "";
    listbox.innerHTML = "";
    close();
    input.focus();
    form.dispatchEvent(new Event("mail:changed"));
  };

  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (listbox.hidden) open();
      highlight(active + 1);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      if (listbox.hidden) open();
      highlight(active - 1);
    } else if (event.key === "Enter") {
      event.preventDefault(); // never submits the form from here
      const list = options();
      if (!listbox.hidden && active >= 0 && list[active]) choose(list[active]);
      else if (window.htmx) window.htmx.trigger(input, "input");
    } else if (event.key === "Escape") {
      if (!listbox.hidden) {
        event.preventDefault();
        close();
      } else {
        input.value = "";
      }
    }
  });
  input.addEventListener("blur", () => setTimeout(close, 150));
  listbox.addEventListener("mousedown", (event) => event.preventDefault()); // keep the focus in the field
  listbox.addEventListener("click", (event) => {
    const option = event.target.closest('[role="option"]:not([aria-disabled="true"])');
    if (option) choose(option);
  });
  document.body.addEventListener("htmx:afterSwap", (event) => {
    if (event.detail.target !== listbox) return;
    active = -1;
    input.removeAttribute("aria-activedescendant");
    open();
    const count = options().length;
    announce(count ? `${count} destinataire${count > 1 ? "s" : ""} proposé${count > 1 ? "s" : ""}` : "Aucun destinataire proposé");
  });
  // The search button stays as the way without JavaScript; with it, suggestions come as one types.
  const button = form.querySelector("[data-mail-search-button]");
  if (button) button.hidden = true;
}

function removeButton(name, label, fieldLabel) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "fr-btn fr-btn--tertiary-no-outline fr-btn--sm fr-icon-close-line mail-chip__remove";
  button.title = `Retirer ${label} (${fieldLabel})`;
  button.textContent = `Retirer ${label} (${fieldLabel})`;
  button.dataset.mailRemove = "";
  return button;
}

function addChip(form, name, token, label) {
  const list = form.querySelector(`[data-mail-chips="${name}"]`);
  if (!list) return;
  if (form.querySelector(`[data-mail-chips] input[value="${CSS.escape(token)}"]`)) {
    announce(`${label} est déjà parmi les destinataires.`);
    return;
  }
  const fieldLabel = list.closest("[data-mail-field]").dataset.mailFieldLabel;
  list.querySelectorAll("[data-mail-empty]").forEach((empty) => empty.remove());
  const item = document.createElement("li");
  item.className = "mail-chip";
  const hidden = document.createElement("input");
  hidden.type = "hidden";
  hidden.name = name;
  hidden.value = token;
  const text = document.createElement("span");
  text.textContent = label;
  item.append(hidden, text, removeButton(name, label, fieldLabel));
  list.append(item);
  announce(`${label} ajouté·e (${fieldLabel}).`);
}

function setupChips(form) {
  form.addEventListener("click", (event) => {
    const button = event.target.closest("[data-mail-remove]");
    if (!button) return;
    event.preventDefault();
    const item = button.closest(".mail-chip");
    const label = item.querySelector("span").textContent;
    item.remove();
    announce(`${label} retiré·e.`);
    const query = form.querySelector("[data-mail-query]");
    if (query) query.focus();
    form.dispatchEvent(new Event("mail:changed"));
  });
  // Chips drawn by the server: their buttons become plain buttons (no submit, no reload).
  form.querySelectorAll("[data-mail-remove]").forEach((button) => {
    button.type = "button";
    button.removeAttribute("name");
  });
}

// --- Autosave --------------------------------------------------------------------------------

function autosaveData(form) {
  const data = new FormData(form);
  for (const name of ["documents", "images", "audio", "action", "remove"]) data.delete(name);
  return data;
}

function setupAutosave(form) {
  const url = form.dataset.autosaveUrl;
  const draft = form.querySelector("[data-mail-draft]");
  if (!url || !draft) return;
  let dirty = false;
  let saving = null; // the autosave in flight, if any
  const mark = () => { dirty = true; };
  form.addEventListener("input", mark);
  form.addEventListener("change", mark);
  form.addEventListener("mail:changed", mark);
  // The rich-text editor writes into its hidden textarea: watch it too.
  const body = form.querySelector('textarea[name="body"]');
  if (body) new MutationObserver(mark).observe(body, { attributes: true, childList: true, characterData: true });
  let lastBody = body ? body.value : "";

  const save = async () => {
    if (body && body.value !== lastBody) { dirty = true; lastBody = body.value; }
    if (!dirty || saving) return saving;
    dirty = false;
    saving = (async () => {
      try {
        const response = await fetch(url, {
          method: "POST",
          body: autosaveData(form),
          headers: { "X-Requested-With": "fetch" },
          credentials: "same-origin",
        });
        const answer = await response.json();
        if (response.ok && answer.draft) {
          draft.value = answer.draft;
          form.action = answer.action;
          if (window.location.pathname !== answer.url) window.history.replaceState(null, "", answer.url);
        } else {
          dirty = true;
        }
        announce(answer.status);
      } catch (error) {
        dirty = true;
        announce("Brouillon non enregistré : connexion perdue. Nouvel essai dans quelques secondes.");
      } finally {
        saving = null;
      }
    })();
    return saving;
  };
  setInterval(save, AUTOSAVE_MS);
  let submitted = false;
  const beacon = () => {
    if (submitted) return; // the form's own POST carries what was typed
    if (body && body.value !== lastBody) dirty = true;
    if (dirty && navigator.sendBeacon(url, autosaveData(form))) dirty = false;
  };
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") beacon();
  });
  window.addEventListener("pagehide", beacon);
  form.addEventListener("submit", (event) => {
    if (saving) {
      // An autosave is creating the draft: send the form once it has answered, to that draft's
      // address, or the message would be saved twice (two drafts).
      event.preventDefault();
      const submitter = event.submitter;
      saving.then(() => form.requestSubmit(submitter));
      return;
    }
    dirty = false; // the submit saves it
    submitted = true;
  });
}

// --- « Annuler l’envoi » countdown -----------------------------------------------------------

function setupUndo() {
  const box = document.querySelector("[data-mail-undo]");
  if (!box) return;
  const counter = box.querySelector("[data-mail-countdown]");
  const status = box.querySelector("[data-mail-undo-status]");
  const form = box.querySelector("[data-mail-undo-form]");
  const end = Date.now() + Number(box.dataset.seconds || 0) * 1000;
  // The live region speaks at the start and at the end, not every second.
  status.setAttribute("aria-live", "off");
  const tick = () => {
    const left = Math.max(0, Math.ceil((end - Date.now()) / 1000));
    if (left > 0) {
      counter.textContent = String(left);
      return;
    }
    clearInterval(timer);
    status.setAttribute("aria-live", "polite");
    status.textContent = "Votre message est parti.";
    if (form) form.hidden = true;
  };
  const timer = setInterval(tick, 250);
  tick();
}

const form = document.querySelector("[data-mail-compose]");
if (form) {
  setupChips(form);
  setupCombobox(form);
  setupAutosave(form);
}
setupUndo();
