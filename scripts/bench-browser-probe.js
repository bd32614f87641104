// The in-page probe of scripts/bench-browser.js. Playwright installs it with
// `context.addInitScript`, so it runs before the page script and receives
// every event. It records, independently of the page's own performance measures:
//
// - for every `input` event, its timestamp, the time when a message posted
//   from the next animation frame is handled (after that frame's callbacks
//   and its paint on the main thread, as the page measures it too), and the
//   time of the animation frame after that one;
// - Event Timing entries of at least 16 ms (the smallest threshold Chromium
//   accepts), whose duration runs from the event to the presentation of the
//   next frame, rounded to 8 ms;
// - every change of `data-ready` on the root element and of `data-final` on
//   the error table, with its time.
//
// All times are `performance.now()` values: milliseconds since navigation
// start.

/**
 * Installs the probe as `window.layerwiseBench`. It must be self-contained,
 * because Playwright serialises it into the page.
 */
export function installProbe() {
  const probe = {
    inputs: [],
    eventEntries: [],
    attributeChanges: [],
    ready: null,
    readyAfterFrame: null,
    frameCount: 0,
    countingFrames: false,
  };
  window.layerwiseBench = probe;

  /** Calls `callback` with the time at which a message posted now is handled. */
  function afterCurrentTask(callback) {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      callback(performance.now());
      channel.port1.close();
    };
    channel.port2.postMessage(null);
  }

  // The capture listener on window runs before the page's listeners on the
  // controls, so the frame requested here is the one the page renders in.
  addEventListener(
    "input",
    (event) => {
      const record = {
        start: event.timeStamp,
        trusted: event.isTrusted,
        control: event.target.id,
        afterFrame: null,
        nextFrame: null,
      };
      probe.inputs.push(record);
      requestAnimationFrame(() => {
        afterCurrentTask((time) => {
          record.afterFrame = time;
        });
        requestAnimationFrame(() => {
          record.nextFrame = performance.now();
        });
      });
    },
    { capture: true },
  );

  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      probe.eventEntries.push({
        name: entry.name,
        start: entry.startTime,
        duration: entry.duration,
        processingStart: entry.processingStart,
        processingEnd: entry.processingEnd,
      });
    }
  }).observe({ type: "event", durationThreshold: 16, buffered: true });

  new MutationObserver((mutations) => {
    const time = performance.now();
    for (const mutation of mutations) {
      const value = mutation.target.getAttribute(mutation.attributeName);
      probe.attributeChanges.push({ name: mutation.attributeName, value, time });
      if (mutation.attributeName === "data-ready" && value === "true" && probe.ready === null) {
        probe.ready = time;
        requestAnimationFrame(() => {
          afterCurrentTask((after) => {
            probe.readyAfterFrame = after;
          });
        });
      }
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-ready", "data-final"] });

  /** Counts animation frames while `countingFrames` is true. */
  probe.startFrameCount = () => {
    probe.frameCount = 0;
    probe.countingFrames = true;
    const tick = () => {
      if (probe.countingFrames) {
        probe.frameCount += 1;
        requestAnimationFrame(tick);
      }
    };
    requestAnimationFrame(tick);
  };
}
