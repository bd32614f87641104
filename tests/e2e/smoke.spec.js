// Smoke test of the built page in dist/: the engine loads, computes the
// table for the link's state, and nothing is logged as an error.
import { expect, test } from "@playwright/test";

import { collectPageErrors, waitForReady } from "./helpers.js";

const CSV_HEADER = "level,cells,error,omega,bound,ratio";
const KINK_FRAGMENT = "#v=1&d=1&n=2&depth=3&target=kink&p=2&level=1";

test("page shows CSV table without errors", async ({ page }) => {
  const errors = collectPageErrors(page);
  const wasmResponse = page.waitForResponse((response) => response.url().endsWith(".wasm"));

  await page.goto(`/${KINK_FRAGMENT}`);
  await waitForReady(page);

  const table = page.locator("pre#table");
  await expect(table).toContainText(CSV_HEADER);
  const lines = (await table.textContent()).trim().split("\n");
  expect(lines[0]).toBe(CSV_HEADER);
  expect(lines).toHaveLength(4);
  await expect(page.locator("#engine-version")).toHaveText(/^\d+\.\d+\.\d+/);

  // instantiateStreaming, which wasm-bindgen's loader tries first, needs
  // this exact MIME type.
  const response = await wasmResponse;
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toBe("application/wasm");

  expect(errors).toEqual([]);
});

test("page shows expression error as text", async ({ page }) => {
  const errors = collectPageErrors(page);

  await page.goto("/#v=1&d=1&target=custom&expr=(x%20%2B%201");
  await waitForReady(page);

  await expect(page.locator("pre#table")).toHaveText(/^invalid expression:/);
  expect(errors).toEqual([]);
});

test("page recomputes table on hash change", async ({ page }) => {
  const errors = collectPageErrors(page);

  await page.goto(`/${KINK_FRAGMENT}`);
  await waitForReady(page);
  await page.evaluate(() => {
    location.hash = "#v=1&d=1&n=2&depth=5&target=kink&p=2&level=1";
  });

  const table = page.locator("pre#table");
  const rowCount = async () => (await table.textContent()).trim().split("\n").length - 1;
  await expect.poll(rowCount).toBe(5);
  expect(errors).toEqual([]);
});
