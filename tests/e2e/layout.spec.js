// End-to-end checks of the page layout in dist/ on a phone (390 × 844) and
// a wide screen (1400 × 900). On a phone, the panels come before the
// settings and touch targets are at least 44 px tall. A table that scrolls
// sideways shades its hidden edges. 2D focus panels stay level when a
// caption wraps. Every check also requires that no console or page error
// occurs.
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

/**
 * Returns the mean brightness (0 to 255) of the `width` pixel columns at
 * the left and right edges of a PNG screenshot, decoded in the page.
 */
function edgeBrightness(page, png, width) {
  return page.evaluate(
    async ({ base64, width }) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const bitmap = await createImageBitmap(new Blob([bytes], { type: "image/png" }));
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const context = canvas.getContext("2d");
      context.drawImage(bitmap, 0, 0);
      const mean = (x) => {
        const data = context.getImageData(x, 0, width, bitmap.height).data;
        let sum = 0;
        for (let index = 0; index < data.length; index += 4) {
          sum += (data[index] + data[index + 1] + data[index + 2]) / 3;
        }
        return sum / (data.length / 4);
      };
      return { left: mean(0), right: mean(bitmap.width - width) };
    },
    { base64: png.toString("base64"), width },
  );
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

  test("error table shades the edge that scrolls", async ({ page }) => {
    const errors = collectPageErrors(page);
    await open(page, KINK);
    const scroller = page.locator("#error-table").locator("xpath=..");
    const sizes = await scroller.evaluate((element) => ({ scroll: element.scrollWidth, client: element.clientWidth }));
    expect(sizes.scroll).toBeGreaterThan(sizes.client);
    // Only the shading should darken the edges, not the digits or rules. The
    // page's Content-Security-Policy rejects a <style> element, but not a
    // rule added through the CSS object model.
    await page.evaluate(() => {
      const rule = "#error-table, #error-table * { color: transparent !important; border-color: transparent !important; }";
      document.styleSheets[0].insertRule(rule, document.styleSheets[0].cssRules.length);
    });

    const start = await edgeBrightness(page, await scroller.screenshot(), 4);
    expect(start.right).toBeLessThan(start.left - 20);

    await scroller.evaluate((element) => {
      element.scrollLeft = element.scrollWidth;
    });
    const end = await edgeBrightness(page, await scroller.screenshot(), 4);
    expect(end.left).toBeLessThan(end.right - 20);
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
