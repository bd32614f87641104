// End-to-end checks of network mode in the built page in dist/. The mode
// and η controls change what is drawn, and a link restores network mode.
// The "Network" box reports the width of the built network, and the
// literal two-sine decoder demo finds a decoder. Every check also requires
// that no console or page error occurs.
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

/** A small 1D state whose network numbers are final within a second. */
const IDEAL = "#v=1&d=1&n=3&depth=4&target=weierstrass&alpha=0.5&p=2&level=2";

/** The same state in network mode with η = 0.01. */
const NETWORK = `${IDEAL}&mode=network&eta=0.01`;

/** Opens `fragment`, waits for the first render and the final numbers. */
async function open(page, fragment) {
  await page.goto(`/${fragment}`);
  await waitForReady(page);
  await waitForFinal(page);
}

test("selecting network mode changes the drawing", async ({ page }) => {
  const errors = collectPageErrors(page);
  await open(page, IDEAL);
  await expect(page.locator("#network")).toBeHidden();
  const before = await canvasDigest(page);
  const count = await renderCount(page);

  await page.selectOption("#mode", "network");
  await waitForRenderAndFinal(page, count);

  expect(await canvasDigest(page)).not.toBe(before);
  expect(page.url()).toContain("mode=network");
  await expect(page.locator("#network")).toBeVisible();
  await expect(page.locator("#network-table tbody tr")).toHaveCount(4);
  await expect(page.locator("#legend-strips")).toBeVisible();
  await expect(page.locator("#message")).not.toContainText("not available in this build");
  expect(errors).toEqual([]);
});

test("moving eta changes the drawing", async ({ page }) => {
  const errors = collectPageErrors(page);
  await open(page, NETWORK);
  const before = await canvasDigest(page);
  const count = await renderCount(page);

  // The slider is logarithmic: position −0.5 is η = 10^−0.5 ≈ 0.316.
  await page.locator("#eta").fill("-0.5");
  await waitForRenderAndFinal(page, count);

  expect(await canvasDigest(page)).not.toBe(before);
  expect(page.url()).toContain("eta=0.316");
  await expect(page.locator("#eta-output")).toHaveText("0.316");
  await expect(page.locator("#network-eta")).toContainText("requested 0.316");
  expect(errors).toEqual([]);
});

test("network link restores network mode", async ({ page }) => {
  const errors = collectPageErrors(page);
  await open(page, NETWORK);

  await expect(page.locator("#mode")).toHaveValue("network");
  await expect(page.locator("#eta")).toBeEnabled();
  await expect(page.locator("#eta")).toHaveValue("-2");
  await expect(page.locator("#eta-output")).toHaveText("0.01");
  expect(page.url()).toContain("mode=network");
  expect(page.url()).toContain("eta=0.01");
  await expect(page.locator("#network")).toBeVisible();
  await expect(page.locator("#error-table thead th")).toHaveText(["level", "cells", "error", "omega", "bound", "ratio"]);
  await expect(page.locator("#error-table")).toHaveAttribute("data-final", "true");
  await expect(page.locator("#network-table")).toHaveAttribute("data-final", "true");
  const csv = await tableCsv(page);
  expect(csv.split("\n")[1]).toMatch(/^1,3,\d\.\d{5}e-?\d+,/);
  expect(errors).toEqual([]);
});

test("network summary shows the width", async ({ page }) => {
  const errors = collectPageErrors(page);
  // d = 1, N = 3: W = 2dN + d + 2 = 2·1·3 + 1 + 2 = 9.
  await open(page, NETWORK);
  await expect(page.locator("#network-width")).toContainText("2dN + d + 2 = 2·1·3 + 1 + 2 = 9");
  await expect(page.locator("#network-layers")).toContainText("L + 2 = 6");
  expect(errors).toEqual([]);
});

test("2D network summary shows the width", async ({ page }) => {
  const errors = collectPageErrors(page);
  // d = 2, N = 4: W = 2·2·4 + 2 + 2 = 20.
  await open(page, "#v=1&d=2&n=4&depth=2&target=cone&mode=network&eta=0.01");
  await expect(page.locator("#network-width")).toContainText("2dN + d + 2 = 2·2·4 + 2 + 2 = 20");
  await expect(page.locator("#legend-strips")).toBeVisible();
  expect(errors).toEqual([]);
});

test("literal decoder demo finds two cells", async ({ page }) => {
  const errors = collectPageErrors(page);
  await open(page, NETWORK);

  await page.locator("#literal-cells").fill("2");
  await page.locator("#literal-search").click();

  await expect(page.locator("#literal-frequency")).toContainText(/^w = \d/);
  await expect(page.locator("#literal-progress")).toContainText("Found after");
  await expect(page.locator("#literal-result tbody tr")).toHaveCount(2);
  await expect(page.locator("#literal-search")).toBeEnabled();
  await expect(page.locator("#literal-cancel")).toBeDisabled();
  expect(errors).toEqual([]);
});

test("literal decoder search can be canceled", async ({ page }) => {
  const errors = collectPageErrors(page);
  await open(page, NETWORK);
  await page.locator("#literal-cells").fill("5");

  // Both clicks run in one task, so the cancel comes before the first
  // chunk of the search.
  await page.evaluate(() => {
    document.getElementById("literal-search").click();
    document.getElementById("literal-cancel").click();
  });

  await expect(page.locator("#literal-progress")).toHaveText("Search canceled after 0 frequencies.");
  await expect(page.locator("#literal-search")).toBeEnabled();
  await expect(page.locator("#literal-cancel")).toBeDisabled();
  expect(errors).toEqual([]);
});
