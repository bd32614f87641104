// Helpers of scripts/bench-browser.js and scripts/bench-browser-compare.js
// for serving the site and driving the page: the measured states, the
// static server, waits on the in-page probe of bench-browser-probe.js, and
// reading its records.
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import os from "node:os";
import { dirname, join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The states measured, as links. Their other keys take the defaults. */
export const STATES = [
  {
    name: "1d",
    label: "1D, N=4, L=10",
    fragment: "#v=1&d=1&n=4&depth=10&target=weierstrass&alpha=0.5&p=2",
  },
  {
    name: "2d",
    label: "2D, N=3, L=6",
    fragment: "#v=1&d=2&n=3&depth=6&target=weierstrass&alpha=0.5&p=2",
  },
];

/** The window of every browser context, in CSS pixels. */
export const VIEWPORT = { width: 1400, height: 900 };

/** Milliseconds that any single wait of the page may take before the run fails. */
const WAIT_TIMEOUT_MS = 60_000;

/** Milliseconds between polls of the page while waiting for it. */
const POLL_MS = 50;

/** Returns a TCP port of 127.0.0.1 that is free now. */
async function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * Starts scripts/serve.py for `site` on a free port and returns
 * `{ url, stop }` once it responds.
 */
export async function startServer(site) {
  const port = await freePort();
  const server = spawn("python3", [join(ROOT, "scripts/serve.py"), "--port", String(port), "--directory", site, "--quiet"], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  let exited = false;
  server.once("exit", () => {
    exited = true;
  });
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (exited) {
      throw new Error(`scripts/serve.py exited before serving ${url}; see its message above`);
    }
    try {
      const response = await fetch(url);
      if (response.ok) {
        break;
      }
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      server.kill();
      throw new Error(`scripts/serve.py did not respond at ${url} within 10 s`);
    }
    await sleep(100);
  }
  const stop = () => {
    if (!exited) {
      server.kill("SIGTERM");
    }
  };
  return { url, stop };
}

/** Waits until the 1-minute load average is below `maxLoad`, for at most `waitSeconds`. */
export async function waitForQuietMachine(maxLoad, waitSeconds) {
  const deadline = Date.now() + waitSeconds * 1000;
  let announced = false;
  while (os.loadavg()[0] >= maxLoad && Date.now() < deadline) {
    if (!announced) {
      console.log(`1-minute load average is ${os.loadavg()[0].toFixed(2)}; waiting up to ${waitSeconds} s for it to fall below ${maxLoad}`);
      announced = true;
    }
    await sleep(5000);
  }
  const load = os.loadavg()[0];
  if (load >= maxLoad) {
    console.log(`warning: the 1-minute load average is still ${load.toFixed(2)}; other processes will slow the measurements`);
  }
  return load;
}

/** Polls `predicate` in the page until it returns a truthy value, and returns that value. */
export async function waitInPage(page, predicate, argument, what) {
  try {
    const handle = await page.waitForFunction(predicate, argument, { polling: POLL_MS, timeout: WAIT_TIMEOUT_MS });
    return await handle.jsonValue();
  } catch (error) {
    throw new Error(`timed out after ${WAIT_TIMEOUT_MS / 1000} s waiting for ${what}: ${error.message}`);
  }
}

/** Fails with the page's message when it stopped on an internal error. */
export async function checkNoPanic(page, errors) {
  const panic = await page.evaluate(() => document.documentElement.dataset.panic === "true");
  if (panic || errors.length > 0) {
    throw new Error(`the page reported errors: ${errors.join("; ") || "data-panic is set"}`);
  }
}

/**
 * Returns the time of the first `data-final="true"` after the first
 * `data-final="false"` that follows `since`, or null while there is none.
 * The render after a change sets "false", and the refinement sets "true"
 * when every number is final.
 */
export function finalAfter(since) {
  const changes = window.layerwiseBench.attributeChanges.filter((change) => change.name === "data-final" && change.time >= since);
  const draft = changes.findIndex((change) => change.value === "false");
  if (draft === -1) {
    return null;
  }
  const final = changes.slice(draft).find((change) => change.value === "true");
  return final ? final.time : null;
}

/**
 * Returns the time of the first `data-final="true"` since the page loaded,
 * or null while there is none. The page's HTML starts with "false".
 */
export function firstFinal() {
  const final = window.layerwiseBench.attributeChanges.find((change) => change.name === "data-final" && change.value === "true");
  return final ? final.time : null;
}

/** Opens `state` in `page` and waits for the first render and the final numbers. */
export async function openState(page, baseUrl, state) {
  await page.goto(`${baseUrl}${state.fragment}`);
  await waitInPage(page, () => window.layerwiseBench.ready !== null, null, "data-ready");
  await waitInPage(page, firstFinal, null, "the final error table");
}

/** Returns the CSS and backing-store sizes of every canvas. */
export async function canvasSizes(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll("canvas")].map((canvas) => {
      const rectangle = canvas.getBoundingClientRect();
      return {
        panel: canvas.dataset.panel,
        cssWidth: Math.round(rectangle.width),
        cssHeight: Math.round(rectangle.height),
        width: canvas.width,
        height: canvas.height,
      };
    }),
  );
}

/** Clears the probe's records and the page's measures; returns the time of the reset. */
export async function resetRecords(page) {
  return page.evaluate(() => {
    const probe = window.layerwiseBench;
    probe.inputs.length = 0;
    probe.eventEntries.length = 0;
    performance.clearMeasures();
    return performance.now();
  });
}

/** Waits until every recorded input has seen its next frame and the table is final. */
export async function waitForSettled(page, since) {
  await waitInPage(
    page,
    () => window.layerwiseBench.inputs.every((record) => record.nextFrame !== null),
    null,
    "the frames after the inputs",
  );
  await waitInPage(page, finalAfter, since, "the final error table");
}

/** Returns the records of the phase that started at `since`. */
export async function collectPhase(page, since) {
  return page.evaluate((start) => {
    const probe = window.layerwiseBench;
    const measures = performance.getEntriesByType("measure").filter((entry) => entry.startTime >= start);
    const durations = (name) => measures.filter((entry) => entry.name === name).map((entry) => entry.duration);
    return {
      start,
      renderCount: Number(document.documentElement.dataset.renderCount ?? 0),
      render: durations("layerwise:render"),
      renderSpans: measures.filter((entry) => entry.name === "layerwise:render").map((entry) => [entry.startTime, entry.duration]),
      inputToFrame: durations("layerwise:input-to-frame"),
      refine: durations("layerwise:refine"),
      inputs: probe.inputs.filter((record) => record.start >= start),
      eventEntries: probe.eventEntries.filter((entry) => entry.start >= start),
    };
  }, since);
}
