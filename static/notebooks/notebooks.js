// The page editor's lock heartbeat. While the form has unsaved changes, the lock is renewed every
// two minutes (htmx POST, the answer replaces the lock status, an aria-live region); without
// changes nothing is sent, so an abandoned tab lets the lock expire after 10 minutes.
const HEARTBEAT_MS = 120 * 1000;

const form = document.querySelector("form[data-notebook-lock]");
if (form) {
  let dirty = false;
  const markDirty = () => {
    dirty = true;
  };
  form.addEventListener("input", markDirty);
  form.addEventListener("change", markDirty);
  form.addEventListener("submit", () => {
    dirty = false;
  });
  const status = document.getElementById(form.dataset.notebookLockStatus);
  window.setInterval(() => {
    if (!dirty || !window.htmx) return;
    window.htmx.ajax("POST", form.dataset.notebookLock, { target: status, swap: "innerHTML" });
  }, HEARTBEAT_MS);
  window.addEventListener("beforeunload", (event) => {
    if (dirty) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
}
