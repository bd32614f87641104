#!/usr/bin/env node
// Compares two builds of the site, for example with and without a compiler
// flag, on the states of scripts/bench-browser.js. Both sites are open at
// once in one headless Chromium, and each round makes one change of α in
// each, in alternating order, and waits until its table is final. Other
// load on the machine then slows both builds alike, which a comparison of
// two separate runs cannot promise on a shared machine.
//
// Per state and site it reports three times of each change: the render work
// (the page's `layerwise:render`), the refinement work until the table is
// final (the sum of its `layerwise:refine` measures), and the wall time from
// the key press to the final table. For each, it also reports the median of
// the per-round ratios of the second site to the first.
//
// Usage: node scripts/bench-browser-compare.js --site DIR --site DIR
//        [--rounds N] [--warm-up N] [--output FILE]
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";

import { chromium } from "@playwright/test";

import { chromiumLaunchOptions, collectPageErrors } from "../tests/e2e/helpers.js";
import { startCpuMeter } from "./bench-browser-cpu.js";
import {
  checkNoPanic,
  collectPhase,
  finalAfter,
  openState,
  resetRecords,
  ROOT,
  startServer,
  STATES,
  VIEWPORT,
  waitInPage,
} from "./bench-browser-page.js";
import { installProbe } from "./bench-browser-probe.js";
import { percentile } from "./bench-browser-report.js";

function parseArguments() {
  const { values } = parseArgs({
    options: {
      site: { type: "string", multiple: true, default: [] },
      rounds: { type: "string", default: "20" },
      "warm-up": { type: "string", default: "20" },
      output: { type: "string", default: "target/bench/browser-compare.json" },
    },
  });
  if (values.site.length !== 2) {
    throw new Error(`expected --site twice (the two builds to compare), got ${values.site.length}`);
  }
  const sites = values.site.map((site) => resolve(ROOT, site));
  for (const site of sites) {
    if (!existsSync(join(site, "index.html"))) {
      throw new Error(`no index.html in ${site}: build the site first`);
    }
  }
  const integer = (name) => {
    const value = Number(values[name]);
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(`invalid --${name} ${values[name]}: use a whole number of at least 1`);
    }
    return value;
  };
  return { sites, rounds: integer("rounds"), warmUp: integer("warm-up"), output: resolve(ROOT, values.output) };
}

/** Presses an arrow key on the α slider of `page`, to the right when `right` is true. */
async function pressAlpha(page, right) {
  await page.evaluate(() => document.getElementById("alpha").focus());
  await page.keyboard.press(right ? "ArrowRight" : "ArrowLeft");
}

/** Makes one change of α in `page`, waits for the final table and returns the timings. */
async function timeChange(page, right) {
  const since = await resetRecords(page);
  await pressAlpha(page, right);
  const final = await waitInPage(page, finalAfter, since, "the final error table");
  const phase = await collectPhase(page, since);
  return {
    renderMs: phase.render[0],
    refineMs: phase.refine.reduce((sum, duration) => sum + duration, 0),
    finalMs: final - phase.inputs[0].start,
  };
}

function median(values) {
  return percentile(values, 0.5);
}

/** Opens `state` in one page per site, warms both up and times `rounds` alternating changes. */
async function compareState(browser, urls, state, { rounds, warmUp }) {
  const pages = [];
  const contexts = [];
  try {
    for (const url of urls) {
      const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
      contexts.push(context);
      await context.addInitScript(installProbe);
      const page = await context.newPage();
      const errors = collectPageErrors(page);
      await openState(page, url, state);
      pages.push({ page, errors, samples: [] });
    }
    // V8 optimises hot WebAssembly functions in the background after their
    // first calls, so the first changes are slower and are not timed.
    for (let index = 0; index < warmUp; index += 1) {
      for (const { page } of pages) {
        await timeChange(page, index % 2 === 0);
      }
    }
    for (let round = 0; round < rounds; round += 1) {
      const order = round % 2 === 0 ? [0, 1] : [1, 0];
      for (const index of order) {
        pages[index].samples.push(await timeChange(pages[index].page, round % 2 === 0));
      }
    }
    for (const { page, errors } of pages) {
      await checkNoPanic(page, errors);
    }
  } finally {
    for (const context of contexts) {
      await context.close();
    }
  }
  const result = { state: state.name, label: state.label, sites: [], ratios: {} };
  for (const { samples } of pages) {
    const column = (key) => samples.map((sample) => sample[key]);
    result.sites.push({
      samples,
      renderMs: { p50: median(column("renderMs")), p95: percentile(column("renderMs"), 0.95) },
      refineMs: { p50: median(column("refineMs")), p95: percentile(column("refineMs"), 0.95) },
      finalMs: { p50: median(column("finalMs")), p95: percentile(column("finalMs"), 0.95) },
    });
  }
  for (const key of ["renderMs", "refineMs", "finalMs"]) {
    const ratios = pages[0].samples.map((first, round) => pages[1].samples[round][key] / first[key]);
    result.ratios[key] = median(ratios);
  }
  return result;
}

async function main() {
  const options = parseArguments();
  const servers = [];
  const browser = await chromium.launch(chromiumLaunchOptions);
  const results = { startedAt: new Date().toISOString(), options, states: [] };
  try {
    for (const site of options.sites) {
      servers.push(await startServer(site));
    }
    const otherCpu = startCpuMeter();
    for (const state of STATES) {
      console.log(`comparing ${state.label}: ${options.warmUp} warm-up and ${options.rounds} timed changes per site`);
      results.states.push(
        await compareState(
          browser,
          servers.map((server) => server.url),
          state,
          options,
        ),
      );
    }
    results.otherCpu = otherCpu();
  } finally {
    await browser.close();
    for (const server of servers) {
      server.stop();
    }
  }
  mkdirSync(dirname(options.output), { recursive: true });
  writeFileSync(options.output, `${JSON.stringify(results, null, 2)}\n`);

  const format = (value) => `${value.toFixed(1)} ms`;
  for (const state of results.states) {
    console.log(`${state.label}:`);
    state.sites.forEach((site, index) => {
      console.log(
        `  site ${index + 1} (${options.sites[index]}): render p50 ${format(site.renderMs.p50)}, p95 ${format(site.renderMs.p95)}; ` +
          `refinement p50 ${format(site.refineMs.p50)}; final after ${format(site.finalMs.p50)} p50`,
      );
    });
    const ratio = (key) => state.ratios[key].toFixed(3);
    console.log(`  median ratio site 2 / site 1: render ${ratio("renderMs")}, refinement ${ratio("refineMs")}, final ${ratio("finalMs")}`);
  }
  if (results.otherCpu !== null) {
    console.log(`other processes used ${Math.round(results.otherCpu * 100)} % of the cores meanwhile`);
  }
  console.log(`wrote every sample to ${options.output}`);
}

main().catch((error) => {
  console.error(`bench-browser-compare: ${error.message}`);
  process.exit(1);
});
