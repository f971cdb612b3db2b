// The post editor (django-prose-editor's "configurable" preset), started without inline script or
// style so that it works under the site's strict Content Security Policy:
// - the editor module is imported by its URL, so the page needs no inline <script type="importmap">;
// - tiptap's <style> element is not injected (injectCSS: false): its rules are in post_editor.css.
import * as prose from "../django_prose_editor/editor.js";

const ATTRIBUTE = "data-django-prose-editor-configurable";
const EMPTY = /^<(\w+)(\s[^>]*)?><\/\1>$/i;

function extensionsFrom(config) {
  const extensions = [];
  for (const [name, options] of Object.entries(config.extensions || {})) {
    const extension = prose[name];
    if (!extension) {
      continue;
    }
    extensions.push(typeof options === "object" ? extension.configure(options) : extension);
  }
  return extensions;
}

function createEditor(textarea) {
  if (textarea.closest(".prose-editor")) {
    return null;
  }
  const config = JSON.parse(textarea.getAttribute(ATTRIBUTE) || "{}");
  const disabled = textarea.hasAttribute("disabled");
  const wrapper = prose.crel("div", { className: "prose-editor" + (disabled ? " disabled" : "") });
  textarea.before(wrapper);
  wrapper.append(textarea);
  const editor = new prose.Editor({
    element: wrapper,
    editable: !disabled,
    extensions: extensionsFrom(config),
    content: textarea.value,
    injectCSS: false,
    onUpdate({ editor: current }) {
      const html = current.getHTML();
      textarea.value = EMPTY.test(html) ? "" : html;
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    },
    onDestroy() {
      wrapper.before(textarea);
      wrapper.remove();
    },
  });
  // The editable area takes the textarea's label and error message, for screen readers.
  const area = editor.view.dom;
  area.setAttribute("role", "textbox");
  area.setAttribute("aria-multiline", "true");
  const label = document.getElementById(textarea.id + "-label");
  if (label) {
    area.setAttribute("aria-labelledby", label.id);
  }
  const error = document.getElementById(textarea.id + "-desc-error");
  if (error) {
    area.setAttribute("aria-describedby", error.id);
    area.setAttribute("aria-invalid", "true");
  }
  return editor;
}

// The toolbar's labels, in French (editor_i18n.js), also when the editor redraws them.
function translateToolbar(root) {
  const french = window.entEditorFrench || {};
  const translate = (element) => {
    for (const name of ["title", "aria-label"]) {
      const value = element.getAttribute(name);
      if (value && french[value]) {
        element.setAttribute(name, french[value]);
      }
    }
    if (element.children.length === 0 && french[element.textContent] && !element.classList.contains("material-icons")) {
      element.textContent = french[element.textContent];
    }
  };
  const walk = (node) => {
    if (node.nodeType === Node.ELEMENT_NODE) {
      translate(node);
      node.querySelectorAll("*").forEach(translate);
    }
  };
  walk(root);
  new MutationObserver((changes) => {
    for (const change of changes) {
      if (change.type === "attributes") {
        translate(change.target);
      } else {
        change.addedNodes.forEach(walk);
      }
    }
  }).observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ["title", "aria-label"] });
}

// The toolbar may be drawn after the editor: wait for it, then translate it (never the text).
function whenToolbar(wrapper, callback) {
  const found = wrapper.querySelector(":scope > .prose-menubar");
  if (found) {
    callback(found);
    return;
  }
  const observer = new MutationObserver(() => {
    const toolbar = wrapper.querySelector(":scope > .prose-menubar");
    if (toolbar) {
      observer.disconnect();
      callback(toolbar);
    }
  });
  observer.observe(wrapper, { childList: true });
}

document.querySelectorAll("[" + ATTRIBUTE + "]").forEach((textarea) => {
  if (createEditor(textarea)) {
    whenToolbar(textarea.closest(".prose-editor"), translateToolbar);
  }
});
