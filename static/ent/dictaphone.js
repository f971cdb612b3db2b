// The dictaphone: record with the microphone, pause, resume, listen back, record again; the recording
// then becomes the file of an ordinary <input type="file" accept="audio/*" capture>, so that the form
// posts it like a chosen file (uploads.media_upload turns it into an .m4a).
// An ES module loaded by templates/components/dictaphone.html (<script type="module">): no inline
// script, no style attribute (strict CSP); its classes are in static/ent/dictaphone.css.
//
//   <div data-ent-dictaphone data-ent-dictaphone-input="INPUT-ID" data-ent-dictaphone-max-seconds="900">
//     … the file input …
//     <fieldset data-ent-dictaphone-recorder hidden> buttons [data-ent-dictaphone-action=start|pause|resume|stop|restart]
//       inside elements [data-ent-dictaphone-when="idle recording paused stopped"], [data-ent-dictaphone-time],
//       [data-ent-dictaphone-limit], <meter data-ent-dictaphone-meter>, <audio data-ent-dictaphone-player> </fieldset>
//     <p role="status" aria-live="polite" data-ent-dictaphone-status></p>
//   </div>
//
// The recorder is shown only where this browser can record here (MediaRecorder, getUserMedia, a secure
// context, DataTransfer); elsewhere, or when the microphone is refused or missing, the status line says
// so in French and the file input stays the way to send a recording. Each state is announced in the
// status line; focus follows the buttons. The microphone is released as soon as the recording stops.
// Components added later by htmx are enhanced too (htmx:load).

// Asked in this order; the browser's choice is read from recorder.mimeType once it has started.
const MIME_TYPES = ["audio/webm;codecs=opus", "audio/mp4", "audio/ogg;codecs=opus"];
const EXTENSIONS = {
  "audio/webm": "webm",
  "video/webm": "webm",
  "audio/mp4": "m4a",
  "video/mp4": "m4a",
  "audio/x-m4a": "m4a",
  "audio/aac": "m4a",
  "audio/ogg": "ogg",
  "application/ogg": "ogg",
  "audio/wav": "wav",
  "audio/mpeg": "mp3",
};

const TEXT = {
  recording: "Enregistrement en cours",
  paused: "En pause",
  stopped: (seconds) => `Enregistrement terminé : ${durationWords(seconds)}. Il sera envoyé avec le formulaire.`,
  limitReached: (seconds) =>
    `Durée maximale atteinte (${durationWords(seconds)}) : l’enregistrement est arrêté. Il sera envoyé avec le formulaire.`,
  micLost: "Le micro s’est arrêté : l’enregistrement est terminé.",
  replaced: "Le fichier choisi remplace l’enregistrement.",
  empty: "L’enregistrement est vide : vérifiez le micro et recommencez, ou choisissez un fichier audio.",
  notSecure:
    "L’enregistrement avec le micro n’est possible que sur une adresse sécurisée (https) : choisissez un fichier audio.",
  unsupported:
    "Ce navigateur ne permet pas d’enregistrer ici : choisissez un fichier audio, ou enregistrez-le avec l’application de votre téléphone.",
  refused:
    "L’accès au micro a été refusé : autorisez le micro pour ce site dans les réglages du navigateur, ou choisissez un fichier audio.",
  noMicrophone: "Aucun micro n’a été trouvé sur cet appareil : branchez-en un, ou choisissez un fichier audio.",
  busy: "Le micro est déjà utilisé par une autre application ou ne répond pas : fermez-la et réessayez, ou choisissez un fichier audio.",
  failed: "L’enregistrement n’a pas pu démarrer : réessayez, ou choisissez un fichier audio.",
};

function durationWords(total) {
  const seconds = Math.round(total);
  if (seconds < 1) {
    return "moins d’une seconde";
  }
  const part = (count, word) => `${count} ${word}${count > 1 ? "s" : ""}`;
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  if (!minutes) {
    return part(rest, "seconde");
  }
  return rest ? `${part(minutes, "minute")} et ${part(rest, "seconde")}` : part(minutes, "minute");
}

// « 0:03 », « 12:05 »
function clockText(total) {
  const seconds = Math.floor(total);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

function extensionOf(mimeType) {
  const base = (mimeType || "").split(";")[0].trim().toLowerCase();
  if (EXTENSIONS[base]) {
    return EXTENSIONS[base];
  }
  const subtype = base.split("/")[1] || "";
  return /^[a-z0-9]{1,8}$/.test(subtype) ? subtype : "webm";
}

function fileName(mimeType) {
  const now = new Date();
  const two = (number) => String(number).padStart(2, "0");
  const day = `${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())}`;
  return `enregistrement-${day}-${two(now.getHours())}h${two(now.getMinutes())}${two(now.getSeconds())}.${extensionOf(mimeType)}`;
}

// Why this browser cannot record here, or "" when it can.
function unsupportedReason() {
  if (!window.isSecureContext) {
    return TEXT.notSecure;
  }
  const media = navigator.mediaDevices;
  if (!media || typeof media.getUserMedia !== "function" || typeof window.MediaRecorder !== "function") {
    return TEXT.unsupported;
  }
  try {
    new DataTransfer().items.add(new File([""], "essai.webm"));
  } catch (error) {
    return TEXT.unsupported; // the recording could not become the input's file
  }
  return "";
}

function refusalText(error) {
  switch (error && error.name) {
    case "NotAllowedError":
    case "SecurityError":
    case "PermissionDeniedError":
      return TEXT.refused;
    case "NotFoundError":
    case "OverconstrainedError":
    case "DevicesNotFoundError":
      return TEXT.noMicrophone;
    case "NotReadableError":
    case "AbortError":
    case "TrackStartError":
      return TEXT.busy;
    default:
      return TEXT.failed;
  }
}

function stopTracks(stream) {
  if (stream) {
    for (const track of stream.getTracks()) {
      track.stop();
    }
  }
}

// Recording time, pauses left out.
class Clock {
  constructor() {
    this.total = 0;
    this.since = null;
  }

  run() {
    if (this.since === null) {
      this.since = performance.now();
    }
  }

  hold() {
    if (this.since !== null) {
      this.total += performance.now() - this.since;
      this.since = null;
    }
  }

  seconds() {
    return (this.total + (this.since === null ? 0 : performance.now() - this.since)) / 1000;
  }
}

class Dictaphone {
  constructor(root, input) {
    this.root = root;
    this.input = input;
    this.form = input.form;
    this.recorderBox = root.querySelector("[data-ent-dictaphone-recorder]");
    this.statusLine = root.querySelector("[data-ent-dictaphone-status]");
    this.timeText = root.querySelector("[data-ent-dictaphone-time]");
    this.meter = root.querySelector("[data-ent-dictaphone-meter]");
    this.player = root.querySelector("[data-ent-dictaphone-player]");
    this.buttons = {};
    for (const button of root.querySelectorAll("[data-ent-dictaphone-action]")) {
      this.buttons[button.dataset.entDictaphoneAction] = button;
    }
    this.maxSeconds = Number.parseInt(root.dataset.entDictaphoneMaxSeconds, 10) || 0;
    this.state = "idle";
    this.settingFile = false;

    const limit = root.querySelector("[data-ent-dictaphone-limit]");
    if (limit && this.maxSeconds) {
      limit.textContent = ` / ${clockText(this.maxSeconds)} au plus`;
    }
    this.buttons.start.addEventListener("click", () => this.start());
    this.buttons.pause.addEventListener("click", () => this.pause());
    this.buttons.resume.addEventListener("click", () => this.resume());
    this.buttons.stop.addEventListener("click", () => this.stop());
    this.buttons.restart.addEventListener("click", () => this.start());
    input.addEventListener("change", () => this.fileChosen());
    if (this.form) {
      this.form.addEventListener("submit", (event) => this.beforeSubmit(event));
    }
    window.addEventListener("pagehide", () => this.release());

    // The page records itself: the input now chooses an existing file rather than opening a recorder.
    input.removeAttribute("capture");
    this.recorderBox.hidden = false;
    this.show("idle");
  }

  say(message, { error = false } = {}) {
    const line = this.statusLine;
    line.classList.toggle("fr-message--error", error);
    line.classList.toggle("fr-message--info", !error);
    // Emptied first, so that the same words are announced again.
    line.textContent = "";
    window.setTimeout(() => {
      line.textContent = message;
    }, 50);
  }

  // Shows what belongs to ``state``. Focus follows the person's action: when it was on the recorder
  // (the button they pressed may now be hidden), it goes to the first of ``focusOn`` that takes it;
  // elsewhere on the page (the limit was reached while they typed), it stays where it is.
  show(state, ...focusOn) {
    const active = document.activeElement;
    const ours = !active || active === document.body || this.recorderBox.contains(active);
    this.state = state;
    for (const element of this.root.querySelectorAll("[data-ent-dictaphone-when]")) {
      element.hidden = !element.dataset.entDictaphoneWhen.split(" ").includes(state);
    }
    this.root.dataset.entDictaphoneState = state;
    if (!ours) {
      return;
    }
    for (const element of focusOn) {
      element.focus();
      if (document.activeElement === element) {
        return;
      }
    }
  }

  async start() {
    if (this.starting || this.state === "recording" || this.state === "paused") {
      return;
    }
    this.starting = true;
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (error) {
      this.starting = false;
      this.say(refusalText(error), { error: true });
      return;
    }
    const mimeType = MIME_TYPES.find((type) => MediaRecorder.isTypeSupported(type));
    let recorder;
    try {
      recorder = mimeType ? new MediaRecorder(stream, { mimeType }) : new MediaRecorder(stream);
    } catch (error) {
      stopTracks(stream);
      this.starting = false;
      this.say(TEXT.failed, { error: true });
      return;
    }
    this.discard();
    // While recording, the input is empty: a required one would stop the form before its submit
    // event, where the recording is ended and sent (see beforeSubmit). finish() puts it back.
    this.wasRequired = this.input.required;
    this.input.required = false;
    this.stream = stream;
    this.recorder = recorder;
    this.mimeType = mimeType || "";
    this.chunks = [];
    this.clock = new Clock();
    this.ending = null;
    recorder.addEventListener("start", () => {
      this.mimeType = recorder.mimeType || this.mimeType; // what the browser really records
    });
    recorder.addEventListener("dataavailable", (event) => {
      if (event.data && event.data.size) {
        this.chunks.push(event.data);
      }
    });
    recorder.addEventListener("stop", () => this.finish(recorder));
    recorder.addEventListener("error", () => this.stop(TEXT.micLost));
    for (const track of stream.getAudioTracks()) {
      track.addEventListener("ended", () => this.stop(TEXT.micLost));
    }
    try {
      recorder.start(1000);
    } catch (error) {
      stopTracks(stream);
      this.input.required = this.wasRequired;
      this.recorder = null;
      this.stream = null;
      this.starting = false;
      this.show("idle", this.buttons.start);
      this.say(TEXT.failed, { error: true });
      return;
    }
    this.mimeType = recorder.mimeType || this.mimeType;
    this.clock.run();
    this.ticker = window.setInterval(() => this.tick(), 200);
    this.tick();
    this.startMeter(stream);
    this.starting = false;
    this.show("recording", this.buttons.pause);
    this.say(TEXT.recording);
  }

  pause() {
    if (this.state !== "recording") {
      return;
    }
    this.recorder.pause();
    this.clock.hold();
    this.tick();
    this.show("paused", this.buttons.resume);
    this.say(TEXT.paused);
  }

  resume() {
    if (this.state !== "paused") {
      return;
    }
    this.recorder.resume();
    this.clock.run();
    this.show("recording", this.buttons.pause);
    this.say(TEXT.recording);
  }

  // Ends the recording; finish() makes the file once the recorder has handed its last data.
  stop(message) {
    if (!this.recorder || this.recorder.state === "inactive" || this.ending !== null) {
      return;
    }
    this.ending = typeof message === "string" ? message : "";
    this.clock.hold();
    this.tick();
    this.recorder.stop();
    this.release();
  }

  tick() {
    const seconds = this.clock ? this.clock.seconds() : 0;
    const shown = this.maxSeconds ? Math.min(seconds, this.maxSeconds) : seconds;
    this.timeText.textContent = clockText(shown);
    if (this.maxSeconds && seconds >= this.maxSeconds && this.state === "recording") {
      this.stop(TEXT.limitReached(this.maxSeconds));
    }
  }

  startMeter(stream) {
    const AudioContextClass = window.AudioContext || window.webkitAudioContext;
    if (!AudioContextClass || !this.meter) {
      return;
    }
    try {
      const context = new AudioContextClass();
      const analyser = context.createAnalyser();
      analyser.fftSize = 1024;
      context.createMediaStreamSource(stream).connect(analyser);
      const samples = new Float32Array(analyser.fftSize);
      this.audioContext = context;
      const draw = () => {
        if (this.audioContext !== context) {
          return;
        }
        let level = 0;
        if (this.state === "recording") {
          analyser.getFloatTimeDomainData(samples);
          let sum = 0;
          for (const sample of samples) {
            sum += sample * sample;
          }
          const rms = Math.sqrt(sum / samples.length);
          // -60 dB (silence) to 0 dB (full scale), as a percentage.
          level = rms > 0 ? Math.max(0, Math.min(100, Math.round(((20 * Math.log10(rms) + 60) / 60) * 100))) : 0;
        }
        this.setLevel(level);
        this.frame = window.requestAnimationFrame(draw);
      };
      draw();
    } catch (error) {
      this.audioContext = null; // no level meter; the recording itself goes on
    }
  }

  setLevel(level) {
    if (this.meter.value !== level) {
      this.meter.value = level;
      this.meter.textContent = `${level} %`;
    }
  }

  // Lets go of the microphone, the level meter and the clock's ticks.
  release() {
    window.clearInterval(this.ticker);
    window.cancelAnimationFrame(this.frame);
    if (this.audioContext) {
      this.audioContext.close().catch(() => {});
      this.audioContext = null;
    }
    stopTracks(this.stream);
    this.stream = null;
    if (this.meter) {
      this.setLevel(0);
    }
  }

  finish(recorder) {
    if (recorder !== this.recorder) {
      return;
    }
    this.release();
    const cancelled = this.cancelled;
    const submitter = this.submitAfter;
    this.cancelled = false;
    this.submitAfter = undefined;
    const seconds = this.clock.seconds();
    const type = recorder.mimeType || this.mimeType || (this.chunks[0] && this.chunks[0].type) || "audio/webm";
    const blob = new Blob(this.chunks, { type });
    this.recorder = null;
    this.chunks = [];
    this.input.required = this.wasRequired;
    if (cancelled) {
      this.show("idle", this.buttons.start);
      this.say(TEXT.replaced);
      return;
    }
    if (!blob.size) {
      this.show("idle", this.buttons.start);
      this.say(TEXT.empty, { error: true });
      return;
    }
    const base = type.split(";")[0].trim().toLowerCase();
    const file = new File([blob], fileName(type), { type: base, lastModified: Date.now() });
    const transfer = new DataTransfer();
    transfer.items.add(file);
    this.setFiles(transfer.files);
    this.url = URL.createObjectURL(blob);
    this.player.src = this.url;
    this.show("stopped", this.player, this.buttons.restart);
    this.say(this.ending || TEXT.stopped(seconds));
    if (submitter !== undefined && this.form) {
      // The person sent the form while recording: send it now, with the recording.
      if (typeof this.form.requestSubmit === "function") {
        this.form.requestSubmit(submitter || undefined);
      } else {
        this.form.submit();
      }
    }
  }

  // The input's files, as if chosen; listeners of the form (unsaved changes…) are told.
  setFiles(files) {
    this.settingFile = true;
    if (files) {
      this.input.files = files;
    } else {
      this.input.value = "";
    }
    this.input.dispatchEvent(new Event("input", { bubbles: true }));
    this.input.dispatchEvent(new Event("change", { bubbles: true }));
    this.settingFile = false;
  }

  // Forgets the last recording (before recording again, or when a file is chosen instead).
  discard() {
    if (this.url) {
      this.player.removeAttribute("src");
      this.player.load();
      URL.revokeObjectURL(this.url);
      this.url = null;
      if (!this.settingFile) {
        this.setFiles(null);
      }
    }
  }

  fileChosen() {
    if (this.settingFile) {
      return;
    }
    if (this.state === "recording" || this.state === "paused") {
      this.cancelled = true;
      this.stop();
    } else if (this.state === "stopped") {
      this.player.removeAttribute("src");
      this.player.load();
      URL.revokeObjectURL(this.url);
      this.url = null;
      this.show("idle", this.buttons.start);
      this.say(TEXT.replaced);
    }
  }

  beforeSubmit(event) {
    if (this.state !== "recording" && this.state !== "paused") {
      return;
    }
    // Nothing lost: the recording is ended, then the form is sent with it.
    event.preventDefault();
    this.submitAfter = event.submitter || null;
    this.stop();
  }
}

function enhance(root) {
  if (root.dataset.entDictaphoneReady) {
    return;
  }
  root.dataset.entDictaphoneReady = "true";
  const input = document.getElementById(root.dataset.entDictaphoneInput);
  if (!input) {
    return;
  }
  const reason = unsupportedReason();
  if (reason) {
    const line = root.querySelector("[data-ent-dictaphone-status]");
    line.classList.add("fr-message--info");
    line.textContent = reason;
    return;
  }
  new Dictaphone(root, input);
}

function enhanceWithin(element) {
  if (element.matches && element.matches("[data-ent-dictaphone]")) {
    enhance(element);
  }
  for (const root of element.querySelectorAll ? element.querySelectorAll("[data-ent-dictaphone]") : []) {
    enhance(root);
  }
}

enhanceWithin(document);
document.addEventListener("htmx:load", (event) => enhanceWithin(event.target));
