// End-to-end checks of the page layout in dist/ on a phone (390 × 844) and
// a wide screen (1400 × 900). On a phone, the panels come before the
// settings and touch targets are at least 44 px tall. 2D focus panels stay
// level when a caption wraps. Every check also requires that no console or
// page error occurs.
import { expect, test } from "@playwright/test";

import { collectPageErrors, waitForFinal, waitForReady } from "./helpers.js";

const PHONE = { width: 390, height: 844 };

/** A 1D state with five levels, whose error table is wider than a phone. */
const KINK = "#v=1&d=1&n=3&depth=5&target=kink&level=3";

/** A 2D state with ψ shown, whose ψ caption wraps on a phone. */
const CONE_PSI = "#v=1&d=2&n=2&depth=4&target=cone&level=2&psi=1";

/** Minimum height of a touch target in CSS pixels. */
const TOUCH_TARGET_PX = 44;

/** Opens `fragment`, waits for the first render and the final numbers. */
async function open(page, fragment) {
  await page.goto(`/${fragment}`);
  await waitForReady(page);
  await waitForFinal(page);
}

/** Returns the bounding box of `selector` relative to the document. */
function documentBox(page, selector) {
  return page.locator(selector).evaluate((element) => {
    const rect = element.getBoundingClientRect();
    return { left: rect.left + scrollX, top: rect.top + scrollY, right: rect.right + scrollX, bottom: rect.bottom + scrollY };
  });
}

test.describe("phone", () => {
  test.use({ viewport: PHONE });

  test("panels come before the settings", async ({ page }) => {
    const errors = collectPageErrors(page);
    await open(page, KINK);

    const thumbs = await documentBox(page, "#thumbs");
    const focus = await documentBox(page, "#focus");
    const settings = await documentBox(page, ".sidebar");
    expect(thumbs.bottom).toBeLessThanOrEqual(PHONE.height);
    expect(focus.top).toBeLessThan(PHONE.height);
    expect(settings.top).toBeGreaterThan(focus.bottom);
    expect(errors).toEqual([]);
  });

  test("touch targets are 44 px tall", async ({ page }) => {
    const errors = collectPageErrors(page);
    await open(page, KINK);

    const heights = await page.$$eval(
      ".sidebar input, .sidebar select, .sidebar button, label[for=psi], #thumbs button, #copy-csv, #about summary",
      (elements) =>
        elements
          .filter((element) => element.type !== "checkbox")
          .map((element) => ({ id: element.id || element.htmlFor || element.tagName, height: element.getBoundingClientRect().height })),
    );
    expect(heights.length).toBeGreaterThan(15);
    for (const { id, height } of heights) {
      expect(height, `height of ${id}`).toBeGreaterThanOrEqual(TOUCH_TARGET_PX);
    }
    expect(errors).toEqual([]);
  });

  test("2D focus canvases stay level", async ({ page }) => {
    const errors = collectPageErrors(page);
    await open(page, CONE_PSI);

    const residual = await documentBox(page, 'canvas[data-panel="focus-residual"]');
    const psi = await documentBox(page, 'canvas[data-panel="focus-psi"]');
    const residualCaption = await documentBox(page, "figure.focus-residual figcaption");
    const psiCaption = await documentBox(page, "figure.focus-psi figcaption");
    // The case under test: the ψ caption takes more lines than its neighbour.
    expect(psiCaption.bottom - psiCaption.top).toBeGreaterThan(residualCaption.bottom - residualCaption.top);
    expect(Math.abs(psi.top - residual.top)).toBeLessThanOrEqual(1);
    expect(errors).toEqual([]);
  });
});

test("wide screen keeps settings beside panels", async ({ page }) => {
  const errors = collectPageErrors(page);
  await page.setViewportSize({ width: 1400, height: 900 });
  await open(page, KINK);

  const settings = await documentBox(page, ".sidebar");
  const thumbs = await documentBox(page, "#thumbs");
  const errorChart = await documentBox(page, "#error-chart");
  expect(settings.right).toBeLessThan(thumbs.left);
  expect(settings.top).toBeLessThan(thumbs.top);
  expect(settings.right).toBeLessThan(errorChart.left);
  expect(errors).toEqual([]);
});
