// End-to-end checks of the built page in dist/. They cover the ready hook,
// every control changing what is drawn, links restoring the exact view with
// the command-line tool's numbers, HiDPI canvases and copying the link.
// Every check also requires that no console or page error occurs.
import { execFileSync } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { expect, test } from "@playwright/test";

import {
  canvasDigest,
  collectPageErrors,
  renderCount,
  tableCsv,
  waitForFinal,
  waitForReady,
  waitForRenderAndFinal,
} from "./helpers.js";

const REPOSITORY = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** A 1D state whose final numbers take well under a second in the page. */
const BASE = "#v=1&d=1&n=3&depth=4&target=weierstrass&alpha=0.5&p=2&level=2&eps=0.01";

/**
 * Runs the release command-line tool `layerwise table` with `args` and
 * returns its CSV output. The first call compiles the tool if needed.
 */
function cliTable(args) {
  return execFileSync("cargo", ["run", "--quiet", "--release", "--bin", "layerwise", "--", "table", ...args], {
    cwd: REPOSITORY,
    encoding: "utf8",
  });
}

/** Opens `fragment`, waits for the first render and the final numbers. */
async function open(page, fragment) {
  await page.goto(`/${fragment}`);
  await waitForReady(page);
  await waitForFinal(page);
}

test("ready hook and render count appear", async ({ page }) => {
  const errors = collectPageErrors(page);
  await page.goto(`/${BASE}`);
  await waitForReady(page);

  expect(await renderCount(page)).toBeGreaterThanOrEqual(1);
  await expect(page.locator("#engine-version")).toHaveText(/^\d+\.\d+\.\d+/);
  await expect(page.locator("#error-table thead th")).toHaveText(["level", "cells", "error", "omega", "bound", "ratio"]);
  await expect(page.locator("#error-table tbody tr")).toHaveCount(4);
  await expect(page.locator("#thumbs canvas")).toHaveCount(5);
  expect(errors).toEqual([]);
});

/**
 * Each control, how to change it, and the state it starts from. Every
 * change must alter the pixels of at least one canvas.
 */
const CONTROL_CHANGES = [
  { id: "d", start: BASE, change: (page) => page.selectOption("#d", "2") },
  { id: "n", start: BASE, change: (page) => page.locator("#n").fill("5") },
  { id: "depth", start: BASE, change: (page) => page.locator("#depth").fill("2") },
  { id: "level", start: BASE, change: (page) => page.locator("#level").fill("4") },
  { id: "target", start: BASE, change: (page) => page.selectOption("#target", "cusp") },
  { id: "expr", start: BASE, change: (page) => page.locator("#expr").fill("x*x") },
  { id: "alpha", start: BASE, change: (page) => page.locator("#alpha").fill("0.9") },
  { id: "p", start: BASE, change: (page) => page.locator("#p").fill("4") },
  { id: "eps", start: BASE, change: (page) => page.locator("#eps").fill("0.0001") },
  { id: "psi", start: BASE, change: (page) => page.locator("#psi").check() },
];

for (const { id, start, change } of CONTROL_CHANGES) {
  test(`control ${id} changes the drawing`, async ({ page }) => {
    const errors = collectPageErrors(page);
    await open(page, start);
    const before = await canvasDigest(page);
    const count = await renderCount(page);

    await change(page);
    await waitForRenderAndFinal(page, count);

    expect(await canvasDigest(page)).not.toBe(before);
    expect(page.url()).toContain(`${id}=`);
    expect(errors).toEqual([]);
  });
}

test("typed expression selects custom target", async ({ page }) => {
  const errors = collectPageErrors(page);
  await open(page, BASE);
  const count = await renderCount(page);

  await page.locator("#expr").fill("sin(3*x)");
  await waitForRenderAndFinal(page, count);

  await expect(page.locator("#target")).toHaveValue("custom");
  expect(page.url()).toContain("target=custom");
  expect(page.url()).toContain("expr=sin(3*x)");
  expect(errors).toEqual([]);
});

test("invalid expression keeps last drawing", async ({ page }) => {
  const errors = collectPageErrors(page);
  await open(page, BASE);
  const before = await canvasDigest(page);
  const url = page.url();
  const count = await renderCount(page);

  await page.locator("#expr").fill("sin(3*x");
  await page.waitForFunction((previous) => Number(document.documentElement.dataset.renderCount) > previous, count);

  await expect(page.locator("#message")).toContainText("not valid");
  await expect(page.locator("#message")).toContainText("at character");
  expect(await canvasDigest(page)).toBe(before);
  expect(page.url()).toBe(url);
  expect(errors).toEqual([]);
});

test("link restores state and matches command line", async ({ page }) => {
  test.setTimeout(240_000);
  const errors = collectPageErrors(page);
  const expected = cliTable(["--d", "1", "--n", "3", "--depth", "5", "--target", "weierstrass", "--alpha", "0.5", "--p", "2"]);

  await open(page, "#v=1&d=1&n=3&depth=5&target=weierstrass&alpha=0.5&p=2&level=3");

  await expect(page.locator("#d")).toHaveValue("1");
  await expect(page.locator("#n")).toHaveValue("3");
  await expect(page.locator("#depth")).toHaveValue("5");
  await expect(page.locator("#level")).toHaveValue("3");
  await expect(page.locator("#target")).toHaveValue("weierstrass");
  await expect(page.locator("#alpha")).toHaveValue("0.5");
  await expect(page.locator("#p")).toHaveValue("2");
  await expect(page.locator('#thumbs button[aria-pressed="true"]')).toHaveAttribute("data-level", "3");
  expect(await tableCsv(page)).toBe(expected);
  expect(errors).toEqual([]);
});

test("2D link matches command line", async ({ page }) => {
  test.setTimeout(240_000);
  const errors = collectPageErrors(page);
  const expected = cliTable(["--d", "2", "--n", "2", "--depth", "4", "--target", "cone", "--p", "1.5"]);

  await open(page, "#v=1&d=2&n=2&depth=4&target=cone&p=1.5&level=2&psi=1");

  await expect(page.locator("#d")).toHaveValue("2");
  await expect(page.locator("#psi")).toBeChecked();
  await expect(page.locator('canvas[data-panel="focus-psi"]')).toHaveCount(1);
  expect(await tableCsv(page)).toBe(expected);
  expect(errors).toEqual([]);
});

test("bad link values are repaired with notices", async ({ page }) => {
  const errors = collectPageErrors(page);
  await page.goto("/#v=1&d=1&n=99&depth=abc&target=spline&colour=red");
  await waitForReady(page);

  const message = page.locator("#message");
  await expect(message).toContainText("n");
  await expect(message).toContainText("16");
  await expect(message).toContainText("spline");
  await expect(page.locator("#n")).toHaveValue("16");
  await expect(page.locator("#target")).toHaveValue("weierstrass");
  expect(errors).toEqual([]);
});

test("canvases are sized for device pixel ratio 2", async ({ browser }) => {
  const context = await browser.newContext({ deviceScaleFactor: 2, viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await open(page, "#v=1&d=2&n=3&depth=3&target=cone&level=2");

  const sizes = await page.evaluate(() =>
    [...document.querySelectorAll("canvas")].map((canvas) => {
      const rect = canvas.getBoundingClientRect();
      return { width: canvas.width, height: canvas.height, cssWidth: rect.width, cssHeight: rect.height };
    }),
  );
  expect(sizes.length).toBeGreaterThan(5);
  for (const size of sizes) {
    expect(Math.abs(size.width - 2 * size.cssWidth)).toBeLessThanOrEqual(1);
    expect(Math.abs(size.height - 2 * size.cssHeight)).toBeLessThanOrEqual(1);
  }
  expect(errors).toEqual([]);
  await context.close();
});

test("copied link opens the same view", async ({ browser, baseURL }) => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await open(page, BASE);

  const count = await renderCount(page);
  await page.locator("#level").fill("3");
  await waitForRenderAndFinal(page, count);
  await page.locator("#copy-link").click();
  await expect(page.locator("#copy-status")).toHaveText("Link copied");
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(page.url());
  expect(copied).toContain("level=3");
  const digest = await canvasDigest(page);

  const second = await context.newPage();
  const secondErrors = collectPageErrors(second);
  await second.goto(copied);
  await waitForReady(second);
  await waitForFinal(second);
  await expect(second.locator("#level")).toHaveValue("3");
  expect(await canvasDigest(second)).toBe(digest);
  expect(await tableCsv(second)).toBe(await tableCsv(page));
  expect(errors).toEqual([]);
  expect(secondErrors).toEqual([]);
  await context.close();
});

test("edited fragment is decoded again", async ({ page }) => {
  const errors = collectPageErrors(page);
  await open(page, BASE);
  const count = await renderCount(page);

  await page.evaluate(() => {
    location.hash = "#v=1&d=1&n=2&depth=6&target=kink&level=5";
  });
  await waitForRenderAndFinal(page, count);

  await expect(page.locator("#n")).toHaveValue("2");
  await expect(page.locator("#depth")).toHaveValue("6");
  await expect(page.locator("#target")).toHaveValue("kink");
  await expect(page.locator("#error-table tbody tr")).toHaveCount(6);
  expect(errors).toEqual([]);
});

test("hover shows values under the pointer", async ({ page }) => {
  const errors = collectPageErrors(page);
  await open(page, BASE);

  const canvas = page.locator('canvas[data-panel="focus-main"]');
  const box = await canvas.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);

  await expect(page.locator("#readout")).toContainText("f = ");
  await expect(page.locator("#readout")).toContainText("Φ₂ = ");
  expect(errors).toEqual([]);
});
