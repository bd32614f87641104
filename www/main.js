// Page script: loads the WebAssembly engine and drives its Page object.
// It forwards control events, coalesces them to one render per animation
// frame, refines the numbers in short chunks between frames, and keeps the
// URL fragment in step with the state. It also handles copying, the hover
// read-out and the chunks of the literal decoder search. All computing and
// drawing happens in Rust.
import init, { Page, engineVersion } from "./pkg/layerwise.js";

/** Ids of the controls, which are also the state keys. */
const CONTROL_IDS = ["d", "n", "depth", "level", "target", "expr", "alpha", "p", "eps", "psi", "mode", "eta"];

/** Milliseconds of refinement per chunk, so that input waits at most this long. */
const REFINE_SLICE_MS = 4;

/** Milliseconds that a copy confirmation stays visible. */
const STATUS_MS = 2500;

/** Largest ramp width η; the slider's top position, 10^-0.3, rounds to it. */
const ETA_MAX = 0.5;

/** Milliseconds of literal decoder search per chunk. */
const LITERAL_SLICE_MS = 8;

const html = document.documentElement;
const pending = new Map();
let page = null;
let stopped = false;
let frameRequested = false;
let refineScheduled = false;
let inputStart = null;
let hoverRequest = null;
let lastFragment = null;
let literalRunning = false;
let literalScheduled = false;

/**
 * Runs `action` on the engine unless it has stopped. A thrown error stops
 * all further calls: after a Rust panic the Page object stays borrowed and
 * every call would fail with a message that hides the first one.
 */
function call(action) {
  if (stopped) {
    return undefined;
  }
  try {
    return action();
  } catch (error) {
    stop(error);
    return undefined;
  }
}

/** Stops the engine and shows why, unless the panic hook already did. */
function stop(error) {
  stopped = true;
  // The end-to-end tests wait for this attribute; after a failure they then
  // report the error instead of timing out.
  html.dataset.ready = "true";
  console.error("layerwise stopped:", error);
  if (html.dataset.panic === "true") {
    return;
  }
  html.dataset.panic = "true";
  const alert = document.getElementById("message");
  alert.textContent = "";
  alert.className = "message panic";
  const paragraph = document.createElement("p");
  paragraph.className = "message-item error";
  paragraph.textContent = `The page stopped because of an internal error: ${error}. Reload to start again from the same link.`;
  const button = document.createElement("button");
  button.type = "button";
  button.dataset.action = "reload";
  button.textContent = "Reload";
  alert.append(paragraph, button);
}

function requestRender() {
  if (!frameRequested && !stopped) {
    frameRequested = true;
    requestAnimationFrame(renderFrame);
  }
}

/** Applies the pending control values and renders once. */
function renderFrame() {
  frameRequested = false;
  const ok = call(() => {
    for (const [key, value] of pending) {
      page.setValue(key, value);
    }
    pending.clear();
    // `layerwise:render` is the whole render, and `layerwise:compute` and
    // `layerwise:draw` are its two parts.
    performance.mark("layerwise:render-start");
    page.compute();
    performance.mark("layerwise:draw-start");
    page.draw();
    performance.measure("layerwise:compute", "layerwise:render-start", "layerwise:draw-start");
    performance.measure("layerwise:draw", "layerwise:draw-start");
    performance.measure("layerwise:render", "layerwise:render-start");
    return true;
  });
  if (!ok) {
    return;
  }
  updateThumbTabStops();
  updateUrl();
  if (inputStart !== null) {
    paintedStarts.push(inputStart);
    inputStart = null;
    // The browser paints this frame right after the animation-frame
    // callbacks; a message posted now is handled once it has.
    paintChannel.port2.postMessage(null);
  }
  scheduleRefine();
}

const paintChannel = new MessageChannel();
const paintedStarts = [];
paintChannel.port1.onmessage = () => {
  const end = performance.now();
  for (const start of paintedStarts.splice(0)) {
    performance.measure("layerwise:input-to-frame", { start, end });
  }
};

const refineChannel = new MessageChannel();
refineChannel.port1.onmessage = refineChunk;

function scheduleRefine() {
  if (!refineScheduled && !stopped) {
    refineScheduled = true;
    refineChannel.port2.postMessage(null);
  }
}

/**
 * Runs one short chunk of background refinement. A pending render takes
 * precedence; it schedules refinement again when done, and a changed state
 * has already replaced the analysis being refined.
 */
function refineChunk() {
  refineScheduled = false;
  if (frameRequested || stopped) {
    return;
  }
  const done = call(() => {
    performance.mark("layerwise:refine-start");
    const finished = page.refine(REFINE_SLICE_MS);
    performance.measure("layerwise:refine", "layerwise:refine-start");
    return finished;
  });
  if (done === false) {
    scheduleRefine();
  } else if (done === true) {
    scheduleWarmUp();
  }
}

/** Number and spacing of the idle warm-up renders after loading (see `Page.warmUp`). */
const WARM_UP_RENDERS = 8;
const WARM_UP_SPACING_MS = 25;
let warmUpsLeft = WARM_UP_RENDERS;

/**
 * Repeats the work of a render a few times once the first state's numbers
 * are final, spaced out and only while no input is waiting. The browser then
 * optimises that code before the first slider move, not during it. Any
 * control change ends the warm-up for good.
 */
function scheduleWarmUp() {
  if (warmUpsLeft <= 0) {
    return;
  }
  setTimeout(() => {
    if (warmUpsLeft <= 0 || frameRequested || stopped) {
      warmUpsLeft = 0;
      return;
    }
    warmUpsLeft -= 1;
    call(() => page.warmUp());
    scheduleWarmUp();
  }, WARM_UP_SPACING_MS);
}

/** Milliseconds between two history.replaceState calls at most. */
const URL_UPDATE_INTERVAL_MS = 250;

/** Time of the last history.replaceState call, from performance.now(). */
let lastUrlUpdate = -Infinity;

/** Pending trailing URL update, from setTimeout, or null. */
let urlUpdateTimer = null;

/** Returns the page's address for the current state, or undefined. */
function currentUrl() {
  const fragment = call(() => page.fragment());
  if (fragment === undefined) {
    return undefined;
  }
  lastFragment = fragment;
  return `${location.href.split("#")[0]}#${fragment}`;
}

/**
 * Puts the current state into the URL fragment. Browsers throttle
 * history.replaceState (Chromium ignores calls past about 200 in a short
 * time, other browsers may throw), so calls are spaced at least
 * URL_UPDATE_INTERVAL_MS apart, with a trailing update for the last state,
 * unless `now` asks for an immediate one.
 */
function updateUrl(now = false) {
  const url = currentUrl();
  if (url === undefined) {
    return;
  }
  document.getElementById("share-url").value = url;
  if (location.href === url) {
    return;
  }
  const wait = lastUrlUpdate + URL_UPDATE_INTERVAL_MS - performance.now();
  if (!now && wait > 0) {
    if (urlUpdateTimer === null) {
      urlUpdateTimer = setTimeout(() => {
        urlUpdateTimer = null;
        updateUrl(true);
      }, wait);
    }
    return;
  }
  lastUrlUpdate = performance.now();
  try {
    history.replaceState(history.state, "", url);
  } catch (error) {
    // The state stays in the page and in "Copy link"; the next update
    // retries.
    console.warn("layerwise: the address bar was not updated:", error);
  }
}

/**
 * Returns the ramp width η of the η slider's position, log10 η, rounded to
 * three significant digits so that links stay short.
 */
function etaFromSlider(position) {
  const eta = Number((10 ** Number(position)).toPrecision(3));
  return String(Math.min(ETA_MAX, eta));
}

/** Returns the value of a control as the engine expects it. */
function controlValue(element) {
  if (element.id === "eta") {
    return etaFromSlider(element.value);
  }
  if (element.type !== "checkbox") {
    return element.value;
  }
  return element.checked ? "1" : "0";
}

/**
 * Returns whether the text of the decimal field `element` matches its
 * `pattern` and lies within its `data-min` and `data-max`. Such a field is a
 * text input, not a number input, because a number input reports "" for
 * text that is not a number, and the engine's message should name the text.
 */
function isCompleteDecimal(element) {
  if (element.value === "" || element.validity.patternMismatch) {
    return false;
  }
  const value = Number(element.value);
  return value >= Number(element.dataset.min) && value <= Number(element.dataset.max);
}

function onControl(event) {
  const element = event.currentTarget;
  // While a number is being typed, its intermediate text ("1e-", or "5" on
  // the way to "5e-3") is not applied, because the engine would replace an
  // incomplete or out-of-range value. The change event applies the text
  // when the user commits it with Enter or by leaving the field.
  if (event.type === "input" && "min" in element.dataset && !isCompleteDecimal(element)) {
    return;
  }
  pending.set(element.id, controlValue(element));
  warmUpsLeft = 0;
  if (inputStart === null) {
    inputStart = event.timeStamp;
  }
  performance.mark("layerwise:input");
  requestRender();
}

function selectLevel(level, timeStamp) {
  pending.set("level", level);
  warmUpsLeft = 0;
  if (inputStart === null) {
    inputStart = timeStamp;
  }
  requestRender();
}

function onThumbClick(event) {
  const button = event.target.closest("button[data-level]");
  if (button) {
    selectLevel(button.dataset.level, event.timeStamp);
  }
}

/** Keys that move the focus along the row of level panels, to a new index. */
const THUMB_KEYS = {
  ArrowLeft: (index) => index - 1,
  ArrowUp: (index) => index - 1,
  ArrowRight: (index) => index + 1,
  ArrowDown: (index) => index + 1,
  Home: () => 0,
  End: (_, count) => count - 1,
};

/**
 * Moves the focus along the row of level panels with the arrow keys, Home
 * and End, and selects the level of the panel that receives it.
 */
function onThumbKey(event) {
  const move = THUMB_KEYS[event.key];
  const button = event.target.closest("button[data-level]");
  if (!move || !button || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) {
    return;
  }
  const buttons = [...document.querySelectorAll("#thumbs button[data-level]")];
  const index = Math.min(Math.max(move(buttons.indexOf(button), buttons.length), 0), buttons.length - 1);
  event.preventDefault();
  const target = buttons[index];
  if (target === button) {
    return;
  }
  target.focus();
  selectLevel(target.dataset.level, event.timeStamp);
}

/**
 * Makes the selected level panel the row's only Tab stop, so that Tab
 * passes over the row and the arrow keys move within it. Without a
 * selected panel, the first one is the Tab stop.
 */
function updateThumbTabStops() {
  const buttons = [...document.querySelectorAll("#thumbs button[data-level]")];
  const selected = buttons.find((button) => button.getAttribute("aria-pressed") === "true") ?? buttons[0];
  for (const button of buttons) {
    button.tabIndex = button === selected ? 0 : -1;
  }
}

/** Maps a pointer position to canvas pixels and shows the values there. */
function onPointer(event) {
  const canvas = event.target.closest?.("canvas[data-panel]");
  if (!canvas) {
    return;
  }
  const rect = canvas.getBoundingClientRect();
  if (rect.width === 0 || rect.height === 0) {
    return;
  }
  const x = ((event.clientX - rect.left) * canvas.width) / rect.width;
  const y = ((event.clientY - rect.top) * canvas.height) / rect.height;
  const first = hoverRequest === null;
  hoverRequest = { panel: canvas.dataset.panel, x, y };
  if (first) {
    requestAnimationFrame(() => {
      const request = hoverRequest;
      hoverRequest = null;
      if (request) {
        call(() => page.hover(request.panel, request.x, request.y));
      }
    });
  }
}

/**
 * Clears the read-out when a mouse leaves a panel. A touch or pen read-out
 * stays until the next tap, because a finger or pen that lifts off also
 * leaves the panel, and the values would vanish as soon as they appear.
 */
function onPointerLeave(event) {
  if (event.pointerType === "touch" || event.pointerType === "pen") {
    return;
  }
  if (event.target.closest?.("canvas[data-panel]")) {
    hoverRequest = null;
    call(() => page.leave());
  }
}

function showStatus(id, text) {
  const status = document.getElementById(id);
  status.textContent = text;
  clearTimeout(status.clearTimer);
  status.clearTimer = setTimeout(() => {
    status.textContent = "";
  }, STATUS_MS);
}

/** Copies `text` with the Clipboard API, or through a selected text field. */
async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const field = document.createElement("textarea");
    field.value = text;
    field.setAttribute("readonly", "");
    field.className = "offscreen";
    document.body.append(field);
    field.select();
    let copied = false;
    try {
      copied = document.execCommand("copy");
    } catch {
      copied = false;
    }
    field.remove();
    return copied;
  }
}

async function copyLink() {
  // The copied link comes from the state itself, so a throttled address
  // bar never makes it stale.
  updateUrl(true);
  const url = currentUrl();
  if (url === undefined) {
    return;
  }
  const copied = await copyText(url);
  if (copied) {
    showStatus("copy-status", "Link copied");
  } else {
    const field = document.getElementById("share-url");
    field.focus();
    field.select();
    showStatus("copy-status", "Copying is blocked here: the link is selected below, press Ctrl+C or ⌘C");
  }
}

async function copyCsv() {
  const csv = call(() => page.tableCsv());
  const final = call(() => page.isFinal());
  if (csv === undefined) {
    return;
  }
  const copied = await copyText(csv);
  const note = final ? "Table copied as CSV" : "Table copied as CSV (some numbers were still drafts)";
  showStatus("csv-status", copied ? note : "Copying is blocked here");
}

const literalChannel = new MessageChannel();
literalChannel.port1.onmessage = literalChunk;

function scheduleLiteral() {
  if (!literalScheduled && !stopped) {
    literalScheduled = true;
    literalChannel.port2.postMessage(null);
  }
}

function setLiteralRunning(running) {
  literalRunning = running;
  document.getElementById("literal-search").disabled = running;
  document.getElementById("literal-cancel").disabled = !running;
}

/**
 * Runs one chunk of the literal decoder search. A pending render goes
 * first; the search continues after it.
 */
function literalChunk() {
  literalScheduled = false;
  if (!literalRunning || stopped) {
    return;
  }
  if (frameRequested) {
    setTimeout(scheduleLiteral, 0);
    return;
  }
  const done = call(() => page.literalStep(LITERAL_SLICE_MS));
  if (done === false) {
    scheduleLiteral();
  } else {
    setLiteralRunning(false);
  }
}

function startLiteral() {
  const cells = document.getElementById("literal-cells").value;
  if (call(() => page.literalStart(cells))) {
    setLiteralRunning(true);
    scheduleLiteral();
  }
}

function cancelLiteral() {
  call(() => page.literalCancel());
  setLiteralRunning(false);
}

function onHashChange() {
  const fragment = location.hash.replace(/^#/, "");
  if (fragment === lastFragment) {
    return;
  }
  pending.clear();
  call(() => page.loadFragment(fragment));
  requestRender();
}

/** Redraws when the device pixel ratio changes (zoom, another screen). */
function watchPixelRatio() {
  const query = matchMedia(`(resolution: ${devicePixelRatio}dppx)`);
  query.addEventListener(
    "change",
    () => {
      requestRender();
      watchPixelRatio();
    },
    { once: true },
  );
}

/** Redraws when a panel container changes size (not on the first report). */
function watchSizes() {
  const sizes = new WeakMap();
  const observer = new ResizeObserver((entries) => {
    let changed = false;
    for (const entry of entries) {
      const size = `${Math.round(entry.contentRect.width)}x${Math.round(entry.contentRect.height)}`;
      if (sizes.has(entry.target) && sizes.get(entry.target) !== size) {
        changed = true;
      }
      sizes.set(entry.target, size);
    }
    if (changed) {
      requestRender();
    }
  });
  for (const id of ["thumbs", "focus", "error-chart"]) {
    observer.observe(document.getElementById(id));
  }
}

function wireEvents() {
  for (const id of CONTROL_IDS) {
    const element = document.getElementById(id);
    element.addEventListener("input", onControl);
    element.addEventListener("change", onControl);
  }
  document.getElementById("controls").addEventListener("submit", (event) => event.preventDefault());
  document.getElementById("thumbs").addEventListener("click", onThumbClick);
  document.getElementById("thumbs").addEventListener("keydown", onThumbKey);
  const content = document.querySelector("main");
  content.addEventListener("pointermove", onPointer);
  content.addEventListener("pointerdown", onPointer);
  content.addEventListener("pointerout", onPointerLeave);
  document.getElementById("copy-link").addEventListener("click", copyLink);
  document.getElementById("copy-csv").addEventListener("click", copyCsv);
  document.getElementById("literal-search").addEventListener("click", startLiteral);
  document.getElementById("literal-cancel").addEventListener("click", cancelLiteral);
  document.addEventListener("click", (event) => {
    if (event.target.closest?.('[data-action="reload"]')) {
      location.reload();
    }
  });
  window.addEventListener("hashchange", onHashChange);
  watchPixelRatio();
  watchSizes();
}

try {
  await init();
  document.getElementById("engine-version").textContent = engineVersion();
  page = new Page(document.body, location.hash);
  wireEvents();
  renderFrame();
} catch (error) {
  stop(error);
}
