#!/usr/bin/env node
// Measures the built page in headless Chromium against its budgets:
//
// - render work per state change (the page's `layerwise:render` measures)
//   and the time from an input event to the frame that shows it, while
//   trusted key presses move the α and p sliders every 50 ms, at device
//   pixel ratio 1 and, for the 2D state, 2;
// - renders and frames under a burst of key presses faster than frames,
//   which the page should coalesce to at most one render per frame;
// - the first render after a fresh load (navigation start to `data-ready`),
//   in a new browser context with the cache disabled each time;
// - the time until the error table is final, after a load and after a
//   single change;
// - the gzipped size of the WebAssembly and JavaScript of the site;
// - in a last, traced pass, the main-thread time of each render frame by
//   phase (see bench-browser-trace.js).
//
// It serves the site with scripts/serve.py on a free port of 127.0.0.1,
// starts Debian's Chromium with the launch options of the end-to-end tests,
// writes every sample as JSON and prints a summary. With --update it also
// rewrites the generated part of the "Browser" section of BENCHMARKS.md.
// scripts/bench.sh --browser-only builds the site and runs this script.
//
// Usage: node scripts/bench-browser.js [--site DIR] [--output FILE] [--update FILE]
//        [--events N] [--spacing MS] [--loads N] [--settle-runs N]
//        [--max-load X] [--load-wait SECONDS] [--trace-dir DIR]
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";

import { chromium } from "@playwright/test";

import { chromiumLaunchOptions, collectPageErrors } from "../tests/e2e/helpers.js";
import { startCpuMeter } from "./bench-browser-cpu.js";
import {
  canvasSizes,
  checkNoPanic,
  collectPhase,
  finalAfter,
  openState,
  resetRecords,
  ROOT,
  startServer,
  STATES,
  VIEWPORT,
  waitForQuietMachine,
  waitForSettled,
  waitInPage,
} from "./bench-browser-page.js";
import { installProbe } from "./bench-browser-probe.js";
import { checkBenchmarksFile, formatSummary, renderMarkdown, updateBenchmarks } from "./bench-browser-report.js";
import { analyseTrace, TRACE_CATEGORIES } from "./bench-browser-trace.js";

function parseArguments() {
  const { values } = parseArgs({
    options: {
      site: { type: "string", default: "dist" },
      output: { type: "string", default: "target/bench/browser.json" },
      update: { type: "string" },
      events: { type: "string", default: "60" },
      spacing: { type: "string", default: "50" },
      loads: { type: "string", default: "10" },
      "settle-runs": { type: "string", default: "5" },
      "max-load": { type: "string", default: "0.8" },
      "load-wait": { type: "string", default: "300" },
      "trace-dir": { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(`Usage: node scripts/bench-browser.js [options]

  --site DIR           built site to serve (default: dist)
  --output FILE        JSON file for every sample (default: target/bench/browser.json)
  --update FILE        rewrite the generated browser section of FILE (BENCHMARKS.md)
  --events N           slider key presses per state, and per burst (default: 60)
  --spacing MS         milliseconds between spaced key presses (default: 50)
  --loads N            fresh page loads per state (default: 10)
  --settle-runs N      single changes per state timed until the table is final (default: 5)
  --max-load X         wait for a 1-minute load average below X first (default: 0.8)
  --load-wait SECONDS  wait at most this long for it, then measure anyway (default: 300)
  --trace-dir DIR      also write the Chromium trace of each state's traced pass to DIR`);
    process.exit(0);
  }
  const integer = (name, minimum) => {
    const value = Number(values[name]);
    if (!Number.isInteger(value) || value < minimum) {
      throw new Error(`invalid --${name} ${values[name]}: use a whole number of at least ${minimum}`);
    }
    return value;
  };
  const number = (name) => {
    const value = Number(values[name]);
    if (!Number.isFinite(value) || value < 0) {
      throw new Error(`invalid --${name} ${values[name]}: use a number of at least 0`);
    }
    return value;
  };
  const site = resolve(ROOT, values.site);
  if (!existsSync(join(site, "index.html"))) {
    throw new Error(`no index.html in ${site}: run ./scripts/build.sh first, or pass --site`);
  }
  return {
    site,
    output: resolve(ROOT, values.output),
    update: values.update === undefined ? null : resolve(ROOT, values.update),
    events: integer("events", 4),
    spacing: number("spacing"),
    loads: integer("loads", 1),
    settleRuns: integer("settle-runs", 1),
    maxLoad: number("max-load"),
    loadWait: number("load-wait"),
    traceDir: values["trace-dir"] === undefined ? null : resolve(ROOT, values["trace-dir"]),
  };
}

/** Derives the test-side latencies from the probe's input records. */
function probeLatencies(inputs) {
  return {
    inputs: inputs.length,
    trusted: inputs.filter((record) => record.trusted).length,
    afterFrame: inputs.map((record) => record.afterFrame - record.start),
    nextFrame: inputs.map((record) => record.nextFrame - record.start),
    records: inputs,
  };
}

/**
 * Returns the durations of the Event Timing entries of `keydown` events.
 * Chromium reports no entries for the `input` events that a key press on a
 * range input fires, but the keydown's duration runs to the same frame.
 */
function eventTimingDurations(entries) {
  return entries.filter((entry) => entry.name === "keydown").map((entry) => entry.duration);
}

/**
 * Presses arrow keys on the α and p sliders, one press every `spacing`
 * milliseconds, alternating the slider and, every second press, the
 * direction, so every press changes the state and the values stay near the
 * start.
 */
async function runSpacedInputs(page, { events, spacing }) {
  const since = await resetRecords(page);
  const countBefore = await page.evaluate(() => Number(document.documentElement.dataset.renderCount));
  const start = Date.now();
  for (let index = 0; index < events; index += 1) {
    await sleep(Math.max(0, start + index * spacing - Date.now()));
    const slider = index % 2 === 0 ? "alpha" : "p";
    const key = index % 4 < 2 ? "ArrowRight" : "ArrowLeft";
    // Focusing in the page skips Playwright's actionability checks, which
    // wait for animation frames and would stretch the spacing.
    await page.evaluate((id) => document.getElementById(id).focus(), slider);
    await page.keyboard.press(key);
  }
  await waitForSettled(page, since);
  const phase = await collectPhase(page, since);
  return {
    events,
    spacingMs: spacing,
    renders: phase.renderCount - countBefore,
    render: phase.render,
    renderSpans: phase.renderSpans,
    inputToFrame: phase.inputToFrame,
    probe: probeLatencies(phase.inputs),
    eventTiming: eventTimingDurations(phase.eventEntries),
    eventEntries: phase.eventEntries,
  };
}

/**
 * Presses arrow keys on the α slider back to back, each press as soon as
 * Chromium has handled the previous one, which is faster than frames: half
 * of them to the right, then as many to the left. Counts the renders and
 * the animation frames meanwhile, to show that the page coalesces inputs.
 */
async function runBurst(page, { events }) {
  await page.evaluate(() => document.getElementById("alpha").focus());
  const since = await resetRecords(page);
  const countBefore = await page.evaluate(() => Number(document.documentElement.dataset.renderCount));
  await page.evaluate(() => window.layerwiseBench.startFrameCount());
  const startedAt = Date.now();
  for (let index = 0; index < events; index += 1) {
    await page.keyboard.press(index < events / 2 ? "ArrowRight" : "ArrowLeft");
  }
  const inputMs = Date.now() - startedAt;
  await waitInPage(
    page,
    () => window.layerwiseBench.inputs.every((record) => record.nextFrame !== null),
    null,
    "the frames after the burst",
  );
  const frames = await page.evaluate(() => {
    const probe = window.layerwiseBench;
    probe.countingFrames = false;
    return probe.frameCount;
  });
  await waitInPage(page, finalAfter, since, "the final error table");
  const phase = await collectPhase(page, since);
  return {
    events,
    inputMs,
    frames,
    renders: phase.renderCount - countBefore,
    render: phase.render,
    inputToFrame: phase.inputToFrame,
    probe: probeLatencies(phase.inputs),
  };
}

/**
 * Makes `runs` single changes of α, each once the table is final, and
 * times each from the key press to the final table. Also sums the page's
 * refinement chunks in between.
 */
async function runSettle(page, { settleRuns }) {
  const runs = [];
  for (let index = 0; index < settleRuns; index += 1) {
    const since = await resetRecords(page);
    await page.evaluate(() => document.getElementById("alpha").focus());
    await page.keyboard.press(index % 2 === 0 ? "ArrowRight" : "ArrowLeft");
    const final = await waitInPage(page, finalAfter, since, "the final error table");
    const phase = await collectPhase(page, since);
    const input = phase.inputs[0];
    runs.push({
      finalMs: final - input.start,
      refineMs: phase.refine.reduce((sum, duration) => sum + duration, 0),
      refineChunks: phase.refine.length,
      render: phase.render,
    });
  }
  return runs;
}

/**
 * Measures `state` in one context: spaced inputs, a burst, and single
 * changes until the table is final.
 */
async function measureInteraction(browser, baseUrl, state, options, deviceScaleFactor) {
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor });
  await context.addInitScript(installProbe);
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  try {
    await openState(page, baseUrl, state);
    const canvases = await canvasSizes(page);
    const spaced = await runSpacedInputs(page, options);
    const burst = await runBurst(page, options);
    const settle = await runSettle(page, options);
    await checkNoPanic(page, errors);
    return { state: state.name, deviceScaleFactor, canvases, spaced, burst, settle };
  } finally {
    await context.close();
  }
}

/**
 * Repeats the spaced inputs of `state` while Chromium records a trace, and
 * returns the main-thread time of each render frame split into phases.
 */
async function measureTrace(browser, baseUrl, state, options) {
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
  await context.addInitScript(installProbe);
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  try {
    await openState(page, baseUrl, state);
    await browser.startTracing(page, { categories: TRACE_CATEGORIES });
    await runSpacedInputs(page, options);
    const buffer = await browser.stopTracing();
    await checkNoPanic(page, errors);
    if (options.traceDir) {
      mkdirSync(options.traceDir, { recursive: true });
      writeFileSync(join(options.traceDir, `${state.name}.json`), buffer);
    }
    return analyseTrace(JSON.parse(buffer.toString("utf8")));
  } finally {
    await context.close();
  }
}

/**
 * Loads `state` `loads` times, each in a new context with the HTTP cache
 * disabled, and times the first render and the final table from
 * navigation start.
 */
async function measureLoads(browser, baseUrl, state, loads) {
  const samples = [];
  for (let index = 0; index < loads; index += 1) {
    const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
    await context.addInitScript(installProbe);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    try {
      const session = await context.newCDPSession(page);
      await session.send("Network.enable");
      await session.send("Network.setCacheDisabled", { cacheDisabled: true });
      await openState(page, baseUrl, state);
      await waitInPage(page, () => window.layerwiseBench.readyAfterFrame !== null, null, "the frame after data-ready");
      await checkNoPanic(page, errors);
      const sample = await page.evaluate(() => {
        const probe = window.layerwiseBench;
        const resource = (suffix) => performance.getEntriesByType("resource").find((entry) => entry.name.endsWith(suffix));
        const firstRender = performance.getEntriesByName("layerwise:render", "measure")[0];
        const navigation = performance.getEntriesByType("navigation")[0];
        const final = probe.attributeChanges.find((change) => change.name === "data-final" && change.value === "true");
        return {
          ready: probe.ready,
          readyAfterFrame: probe.readyAfterFrame,
          final: final ? final.time : null,
          domContentLoaded: navigation.domContentLoadedEventEnd,
          wasmResponseEnd: resource("layerwise_bg.wasm")?.responseEnd ?? null,
          firstRenderStart: firstRender?.startTime ?? null,
          firstRenderDuration: firstRender?.duration ?? null,
        };
      });
      samples.push(sample);
    } finally {
      await context.close();
    }
  }
  return samples;
}

/** Returns the gzipped size (gzip -9, as scripts/test.sh counts it) of each .wasm and .js file of `site`. */
function bundleSizes(site) {
  const listing = execFileSync("find", [site, "-type", "f", "(", "-name", "*.wasm", "-o", "-name", "*.js", "-o", "-name", "*.mjs", ")"], {
    encoding: "utf8",
  });
  const files = listing.split("\n").filter(Boolean).sort();
  return files.map((file) => ({
    file: file.slice(site.length + 1),
    bytes: readFileSync(file).length,
    gzipBytes: execFileSync("gzip", ["-9", "-c", file], { maxBuffer: 64 * 1024 * 1024 }).length,
  }));
}

/** Returns the first line of `command`'s output in folder `cwd`, or null when it fails. */
function commandLine(command, args, cwd) {
  try {
    return execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).split("\n")[0].trim();
  } catch {
    return null;
  }
}

/**
 * Describes the machine, the browser and the sources. The sources are those
 * of the Git checkout that contains the site, which is this repository for
 * the copy that scripts/bench.sh makes.
 */
function describeMachine(browserVersion, site) {
  const osRelease = existsSync("/etc/os-release") ? readFileSync("/etc/os-release", "utf8") : "";
  const prettyName = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(osRelease)?.[1] ?? os.type();
  const checkout = commandLine("git", ["rev-parse", "--show-toplevel"], site) ?? ROOT;
  const changed = commandLine("git", ["status", "--porcelain", "--", "src", "www", "Cargo.toml", "Cargo.lock"], checkout);
  return {
    cpu: os.cpus()[0]?.model ?? "unknown",
    cores: os.cpus().length,
    os: `${prettyName}, kernel ${os.release()}`,
    node: process.version,
    chromium: browserVersion,
    commit: commandLine("git", ["rev-parse", "--short", "HEAD"], checkout),
    uncommittedSources: Boolean(changed),
  };
}

async function main() {
  const options = parseArguments();
  if (options.update) {
    // Fail now rather than after minutes of measuring.
    checkBenchmarksFile(options.update);
  }
  const loadBefore = await waitForQuietMachine(options.maxLoad, options.loadWait);
  const startedAt = new Date();
  const server = await startServer(options.site);
  const browser = await chromium.launch(chromiumLaunchOptions);
  const results = { startedAt: startedAt.toISOString(), options, states: {}, passes: [] };
  // Runs one pass and records the share of the cores that other processes
  // used meanwhile.
  const pass = async (description, measure) => {
    console.log(description);
    const otherCpu = startCpuMeter();
    const passStartedAt = Date.now();
    const result = await measure();
    results.passes.push({ description, seconds: (Date.now() - passStartedAt) / 1000, otherCpu: otherCpu() });
    return result;
  };
  try {
    results.machine = describeMachine(browser.version(), options.site);
    for (const state of STATES) {
      const loads = await pass(`measuring ${state.label}: ${options.loads} fresh loads`, () =>
        measureLoads(browser, server.url, state, options.loads),
      );
      const interaction = await pass(
        `measuring ${state.label}: ${options.events} spaced key presses, a burst, ${options.settleRuns} single changes`,
        () => measureInteraction(browser, server.url, state, options, 1),
      );
      results.states[state.name] = { label: state.label, fragment: state.fragment, loads, interaction };
    }
    const twoD = STATES.find((state) => state.name === "2d");
    results.states["2d"].interactionDpr2 = await pass(`measuring ${twoD.label} at device pixel ratio 2`, () =>
      measureInteraction(browser, server.url, twoD, options, 2),
    );
    for (const state of STATES) {
      results.states[state.name].trace = await pass(`tracing ${state.label}: ${options.events} spaced key presses`, () =>
        measureTrace(browser, server.url, state, options),
      );
    }
  } finally {
    await browser.close();
    server.stop();
  }
  results.bundle = bundleSizes(options.site);
  results.load = { before: loadBefore, after: os.loadavg()[0] };
  results.finishedAt = new Date().toISOString();

  mkdirSync(dirname(options.output), { recursive: true });
  writeFileSync(options.output, `${JSON.stringify(results, null, 2)}\n`);
  console.log(formatSummary(results));
  console.log(`wrote every sample to ${options.output}`);
  if (options.update) {
    updateBenchmarks(options.update, renderMarkdown(results));
    console.log(`updated the browser section of ${options.update}`);
  }
}

main().catch((error) => {
  console.error(`bench-browser: ${error.message}`);
  process.exit(1);
});
