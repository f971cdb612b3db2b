// Starts django-prose-editor's Tiptap editor without an import map and without injected <style>
// (both are inline content that the site's strict Content-Security-Policy refuses).
// The configuration comes from the textarea's data attribute, written by the Django widget.
import * as prose from "../django_prose_editor/editor.js";

const ATTRIBUTE = "data-django-prose-editor-configurable";

function extensionsFrom(config) {
  const extensions = [];
  for (const [name, options] of Object.entries(config.extensions || {})) {
    const extension = prose[name];
    if (!extension) {
      continue;
    }
    extensions.push(options && typeof options === "object" ? extension.configure(options) : extension);
  }
  return extensions;
}

function start(textarea) {
  if (textarea.closest(".prose-editor")) {
    return;
  }
  const config = JSON.parse(textarea.getAttribute(ATTRIBUTE) || "{}");
  const disabled = textarea.hasAttribute("disabled");
  const wrapper = document.createElement("div");
  wrapper.className = disabled ? "prose-editor disabled" : "prose-editor";
  textarea.before(wrapper);
  wrapper.append(textarea);
  const label = document.querySelector(`label[for="${textarea.id}"]`);
  new prose.Editor({
    element: wrapper,
    editable: !disabled,
    extensions: extensionsFrom(config),
    content: textarea.value,
    injectCSS: false,
    editorProps: {
      attributes: label
        ? { "aria-labelledby": label.id || (label.id = `${textarea.id}-label`), "aria-multiline": "true", role: "textbox" }
        : { "aria-multiline": "true", role: "textbox" },
    },
    onUpdate({ editor }) {
      const html = editor.getHTML();
      textarea.value = /^<(\w+)(\s[^>]*)?><\/\1>$/i.test(html) ? "" : html;
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    },
  });
}

function startAll(root) {
  for (const textarea of root.querySelectorAll(`[${ATTRIBUTE}]`)) {
    start(textarea);
  }
}

startAll(document);
document.addEventListener("htmx:afterSwap", (event) => startAll(event.target));
