// The blur tool of « Élèves visibles ou entendus »: draw rectangles on the image (mouse, pen or
// finger) and they fill the zone inputs (percent of the picture); typing in the inputs (keyboard)
// draws them. The server applies the blur (Pillow) to every stored size; nothing is blurred here.
const area = document.querySelector("[data-ent-blur-area]");
const form = document.querySelector("[data-ent-blur-form]");
const status = document.querySelector("[data-ent-blur-status]");

if (area && form) {
  const img = area.querySelector("img");
  const slots = [1, 2, 3, 4, 5];
  const input = (n, part) => form.querySelector(`[data-ent-blur="${n}-${part}"]`);
  const round = (value) => Math.round(Math.min(100, Math.max(0, value)) * 10) / 10;
  const boxes = new Map();

  const draw = () => {
    for (const n of slots) {
      const [x, y, w, h] = ["x", "y", "w", "h"].map((p) => parseFloat(input(n, p)?.value));
      let box = boxes.get(n);
      if ([x, y, w, h].some((v) => Number.isNaN(v)) || w <= 0 || h <= 0) {
        box?.remove();
        boxes.delete(n);
        continue;
      }
      if (!box) {
        box = document.createElement("span");
        box.className = "ent-blur__box";
        box.textContent = String(n);
        box.setAttribute("aria-hidden", "true");
        area.append(box);
        boxes.set(n, box);
      }
      Object.assign(box.style, { left: `${x}%`, top: `${y}%`, width: `${w}%`, height: `${h}%` });
    }
  };

  const freeSlot = () => slots.find((n) => !input(n, "w").value) ?? null;
  let start = null;
  let slot = null;

  const point = (event) => {
    const rect = img.getBoundingClientRect();
    return [((event.clientX - rect.left) / rect.width) * 100, ((event.clientY - rect.top) / rect.height) * 100];
  };
  area.addEventListener("pointerdown", (event) => {
    slot = freeSlot();
    if (slot === null) {
      status.textContent = "Les cinq zones sont prises : effacez-en une pour en tracer une autre.";
      return;
    }
    start = point(event);
    area.setPointerCapture(event.pointerId);
    event.preventDefault();
  });
  area.addEventListener("pointermove", (event) => {
    if (!start) return;
    const [px, py] = point(event);
    const values = {
      x: round(Math.min(start[0], px)),
      y: round(Math.min(start[1], py)),
      w: round(Math.abs(px - start[0])),
      h: round(Math.abs(py - start[1])),
    };
    for (const [part, value] of Object.entries(values)) input(slot, part).value = value;
    draw();
  });
  area.addEventListener("pointerup", () => {
    if (!start) return;
    start = null;
    if (parseFloat(input(slot, "w").value) > 0) {
      status.textContent = `Zone ${slot} tracée. Vous pouvez l’ajuster dans ses champs.`;
    }
  });
  form.addEventListener("input", draw);
  form.addEventListener("reset", () => setTimeout(draw, 0));
  draw();
}
