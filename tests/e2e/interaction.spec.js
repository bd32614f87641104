// End-to-end checks of touch, keyboard and typed input in the built page in
// dist/. A tap keeps its point read-out. The arrow keys, Home and End move
// along the row of level panels. The ε field shows the value in use once a
// value is committed. The "About" box has a disclosure marker. Every check
// also requires that no console or page error occurs.
import { expect, test } from "@playwright/test";

import { collectPageErrors, renderCount, waitForFinal, waitForReady, waitForRenderAndFinal } from "./helpers.js";

/** A 1D state whose final numbers take well under a second in the page. */
const BASE = "#v=1&d=1&n=3&depth=4&target=weierstrass&alpha=0.5&p=2&level=2&eps=0.01";

/** Opens `fragment`, waits for the first render and the final numbers. */
async function open(page, fragment) {
  await page.goto(`/${fragment}`);
  await waitForReady(page);
  await waitForFinal(page);
}

/** Returns the level of the focused panel button, or null. */
function focusedLevel(page) {
  return page.evaluate(() => document.activeElement?.dataset?.level ?? null);
}

test.describe("touch screen", () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

  test("tap keeps the point read-out", async ({ page }) => {
    const errors = collectPageErrors(page);
    await open(page, BASE);
    const canvas = page.locator('canvas[data-panel="focus-main"]');
    await canvas.scrollIntoViewIfNeeded();
    const box = await canvas.boundingBox();
    const readout = page.locator("#readout");

    await page.touchscreen.tap(box.x + box.width * 0.3, box.y + box.height / 2);
    await expect(readout).toContainText("f = ");
    const first = await readout.textContent();
    // The finger has lifted, but the values stay until the next tap.
    await page.waitForTimeout(500);
    await expect(readout).toHaveText(first);

    await page.touchscreen.tap(box.x + box.width * 0.7, box.y + box.height / 2);
    await expect(readout).not.toHaveText(first);
    await expect(readout).toContainText("Φ₂ = ");
    expect(errors).toEqual([]);
  });
});

test("mouse leaving a panel clears the read-out", async ({ page }) => {
  const errors = collectPageErrors(page);
  await open(page, BASE);
  const canvas = page.locator('canvas[data-panel="focus-main"]');
  const box = await canvas.boundingBox();

  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await expect(page.locator("#readout")).toContainText("f = ");
  await page.mouse.move(box.x + box.width / 2, box.y - 40);

  await expect(page.locator("#readout")).toHaveText("");
  expect(errors).toEqual([]);
});

test("arrow keys move along the level panels", async ({ page }) => {
  const errors = collectPageErrors(page);
  await open(page, BASE);
  const pressed = page.locator('#thumbs button[aria-pressed="true"]');
  await page.locator('#thumbs button[data-level="2"]').focus();

  const steps = [
    { key: "ArrowRight", level: "3" },
    { key: "ArrowDown", level: "4" },
    { key: "ArrowRight", level: "4" },
    { key: "Home", level: "1" },
    { key: "ArrowLeft", level: "1" },
    { key: "End", level: "4" },
    { key: "ArrowUp", level: "3" },
    { key: "ArrowLeft", level: "2" },
  ];
  for (const { key, level } of steps) {
    await page.keyboard.press(key);
    expect(await focusedLevel(page), `focus after ${key}`).toBe(level);
    await expect(pressed, `selection after ${key}`).toHaveAttribute("data-level", level);
    await expect(page.locator("#level")).toHaveValue(level);
  }
  expect(errors).toEqual([]);
});

test("level panels are one Tab stop", async ({ page }) => {
  const errors = collectPageErrors(page);
  await open(page, BASE);

  const stops = await page.$$eval("#thumbs button[data-level]", (buttons) =>
    buttons.filter((button) => button.tabIndex === 0).map((button) => button.dataset.level),
  );
  expect(stops).toEqual(["2"]);

  await page.locator('#thumbs button[data-level="2"]').focus();
  await page.keyboard.press("Tab");
  expect(await focusedLevel(page)).toBeNull();
  expect(errors).toEqual([]);
});

test("eps field shows the clamped value after Enter", async ({ page }) => {
  const errors = collectPageErrors(page);
  await open(page, BASE);
  const field = page.locator("#eps");
  const count = await renderCount(page);

  await field.fill("5");
  await field.press("Enter");
  await waitForRenderAndFinal(page, count);

  await expect(field).toBeFocused();
  await expect(field).toHaveValue("1");
  await expect(page.locator("#message")).toContainText("above the maximum 1, so 1 is used");
  expect(page.url()).toContain("eps=1&");
  expect(errors).toEqual([]);
});

test("eps field keeps keys typed faster than frames", async ({ page }) => {
  // "1" is a complete value, so it is applied in the next frame. The "e"
  // typed before that frame must stay in the field, not be replaced by "1".
  const errors = collectPageErrors(page);
  await open(page, BASE);
  const field = page.locator("#eps");
  await field.focus();
  const count = await renderCount(page);
  await page.evaluate(() => {
    const input = document.getElementById("eps");
    for (const text of ["1", "1e"]) {
      input.value = text;
      input.dispatchEvent(new Event("input", { bubbles: true }));
    }
  });
  await page.waitForFunction((before) => Number(document.documentElement.dataset.renderCount) > before, count);

  await expect(field).toHaveValue("1e");
  await field.pressSequentially("-3");
  await field.press("Enter");
  await expect(field).toHaveValue("1e-3");
  await expect.poll(() => page.url()).toContain("eps=0.001&");
  expect(errors).toEqual([]);
});

test("eps field names text that is not a number", async ({ page }) => {
  const errors = collectPageErrors(page);
  await open(page, BASE);
  const field = page.locator("#eps");
  const count = await renderCount(page);

  await field.fill("abc");
  await field.press("Enter");
  await waitForRenderAndFinal(page, count);

  await expect(page.locator("#message")).toContainText("The value 'abc' for eps is not a number");
  await expect(field).toBeFocused();
  await expect(field).toHaveValue("0.01");
  expect(errors).toEqual([]);
});

test("eps field keeps text while it is typed", async ({ page }) => {
  const errors = collectPageErrors(page);
  await open(page, BASE);
  const field = page.locator("#eps");
  await field.fill("");
  const count = await renderCount(page);

  // "5" is above the maximum and "5e" and "5e-" are not numbers yet, so
  // only the complete "5e-3" is applied.
  await field.pressSequentially("5e-3");
  await waitForRenderAndFinal(page, count);

  await expect(field).toHaveValue("5e-3");
  expect(page.url()).toContain("eps=0.005");
  await expect(page.locator("#message")).toHaveText("");
  expect(errors).toEqual([]);
});

test("about box shows a disclosure marker", async ({ page }) => {
  const errors = collectPageErrors(page);
  await open(page, BASE);
  const summary = page.locator("#about summary");
  const marker = () =>
    summary.evaluate((element) => {
      const style = getComputedStyle(element, "::before");
      return { content: style.content, width: style.borderLeftWidth, transform: style.transform };
    });

  const closed = await marker();
  expect(closed.content).not.toBe("none");
  expect(parseFloat(closed.width)).toBeGreaterThan(4);
  expect(closed.transform).toBe("none");

  await summary.click();
  await expect(page.locator("#about")).toHaveAttribute("open", "");
  // The marker turns a quarter turn, to point down, within its transition.
  await expect.poll(async () => (await marker()).transform).toBe("matrix(0, 1, -1, 0, 0, 0)");
  expect(errors).toEqual([]);
});
