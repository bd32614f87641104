// The URL fragment and "Copy link" follow the state under rapid input.
// Browsers throttle history.replaceState, so the page spaces its updates;
// the last state must still reach the address bar, and the copied link
// must never be stale.
import { expect, test } from "@playwright/test";

import { collectPageErrors, waitForReady } from "./helpers.js";

const START = "#v=1&d=1&n=3&depth=4&target=weierstrass&alpha=0.5&p=2&level=2";

test("rapid slider input keeps the link current", async ({ browser, baseURL }) => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await page.goto(`/${START}`);
  await waitForReady(page);

  // 300 input events, a few per frame, ending at α = 0.37.
  await page.evaluate(async () => {
    const alpha = document.getElementById("alpha");
    for (let step = 0; step < 300; step += 1) {
      alpha.value = String(0.05 + ((step * 37) % 95) / 100);
      alpha.dispatchEvent(new Event("input", { bubbles: true }));
      if (step % 3 === 0) {
        await new Promise((resolve) => requestAnimationFrame(resolve));
      }
    }
    alpha.value = "0.37";
    alpha.dispatchEvent(new Event("input", { bubbles: true }));
  });

  await page.locator("#copy-link").click();
  await expect(page.locator("#copy-status")).toHaveText("Link copied");
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toContain("alpha=0.37&");
  await expect.poll(() => page.url(), { timeout: 5_000 }).toBe(copied);
  expect(errors).toEqual([]);
  await context.close();
});
