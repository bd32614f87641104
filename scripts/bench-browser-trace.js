// Splits the main-thread time of the page's render frames into phases,
// from a Chromium trace that scripts/bench-browser.js records while it
// moves the sliders. Tracing slows the page, so the trace comes from a
// separate pass. Its phases show where the time goes, and the budgets are
// judged on the untraced passes.
//
// NOTE: the event names are internals of Chromium (checked with version
// 156) and may change in another version; a phase whose events are missing
// shows as 0 ms and its time moves to "other".

/** Trace categories that contain the events below and the page's measures. */
export const TRACE_CATEGORIES = [
  "devtools.timeline",
  "disabled-by-default-devtools.timeline",
  "blink",
  "blink.user_timing",
  "cc",
  "toplevel",
];

/**
 * Phases of one frame on the renderer's main thread, each as the trace
 * events whose durations it sums. Events of one phase never nest, and only
 * "render" and "url" lie inside "callbacks".
 */
const PHASES = [
  // Every animation-frame callback: the page's and the probe's.
  ["callbacks", ["FireAnimationFrame"]],
  // The page's compute and draw, its own `layerwise:render` measure.
  ["render", ["layerwise:render"]],
  // history.replaceState, which the page calls after each render.
  ["url", ["FrameLoader::updateForSameDocumentNavigation"]],
  ["styleAndLayout", ["LocalFrameView::RunStyleAndLayoutLifecyclePhases"]],
  ["paint", ["PrePaint", "LocalFrameView::RunPaintLifecyclePhase"]],
  ["commit", ["Commit"]],
];

/** Returns the thread id of the renderer main thread that ran the page's renders. */
function pageMainThread(events) {
  const mainThreads = new Set(
    events
      .filter((event) => event.ph === "M" && event.name === "thread_name" && event.args?.name === "CrRendererMain")
      .map((event) => `${event.pid}:${event.tid}`),
  );
  const renders = events.filter((event) => event.name === "layerwise:render");
  for (const render of renders) {
    const thread = `${render.pid}:${render.tid}`;
    if (mainThreads.has(thread)) {
      return thread;
    }
  }
  return null;
}

/**
 * Returns the page's measures as [start, end] pairs in trace microseconds.
 * Chromium writes them as async begin and end events ("b" and "e") with a
 * shared id.
 */
function measureSpans(events, name) {
  const begins = new Map();
  const spans = [];
  for (const event of events) {
    if (event.name !== name) {
      continue;
    }
    const key = `${event.pid}:${event.id ?? event.id2?.local ?? ""}`;
    if (event.ph === "b") {
      begins.set(key, event.ts);
    } else if (event.ph === "e" && begins.has(key)) {
      spans.push([begins.get(key), event.ts]);
      begins.delete(key);
    } else if (event.ph === "X") {
      spans.push([event.ts, event.ts + event.dur]);
    }
  }
  return spans;
}

/**
 * Splits each frame that ran a render into the phases above, in
 * milliseconds, and counts the refinement chunks in the trace. Returns
 * `{ frames, refineChunks }`, where each frame has `total`, one field per
 * phase, `otherCallbacks` and `other`.
 */
export function analyseTrace(trace) {
  const events = Array.isArray(trace) ? trace : trace.traceEvents;
  const thread = pageMainThread(events);
  if (thread === null) {
    return { frames: [], refineChunks: [] };
  }
  const onThread = events.filter((event) => event.ph === "X" && `${event.pid}:${event.tid}` === thread);
  const spansByName = new Map();
  for (const [, names] of PHASES) {
    for (const name of names) {
      const spans = name.startsWith("layerwise:")
        ? measureSpans(events, name)
        : onThread.filter((event) => event.name === name).map((event) => [event.ts, event.ts + event.dur]);
      spansByName.set(name, spans);
    }
  }
  const renders = spansByName.get("layerwise:render");
  const frames = [];
  for (const frame of onThread.filter((event) => event.name === "ProxyMain::BeginMainFrame")) {
    const start = frame.ts;
    const end = frame.ts + frame.dur;
    if (!renders.some(([renderStart]) => renderStart >= start && renderStart < end)) {
      continue;
    }
    const breakdown = { total: frame.dur / 1000 };
    for (const [phase, names] of PHASES) {
      let sum = 0;
      for (const name of names) {
        for (const [spanStart, spanEnd] of spansByName.get(name)) {
          if (spanStart >= start && spanEnd <= end) {
            sum += spanEnd - spanStart;
          }
        }
      }
      breakdown[phase] = sum / 1000;
    }
    // The callbacks' time besides render and url: the rest of the page's
    // frame callback and the probe's.
    breakdown.otherCallbacks = breakdown.callbacks - breakdown.render - breakdown.url;
    breakdown.other = breakdown.total - breakdown.callbacks - breakdown.styleAndLayout - breakdown.paint - breakdown.commit;
    frames.push(breakdown);
  }
  const refineChunks = measureSpans(events, "layerwise:refine").map(([start, end]) => (end - start) / 1000);
  return { frames, refineChunks };
}
