// Checks of the shared helpers themselves, on content that the test draws,
// so that later specs can trust them.
import { expect, test } from "@playwright/test";

import { collectPageErrors, readCanvasPixels, waitForReady } from "./helpers.js";

test("readCanvasPixels reads drawn rectangle", async ({ page }) => {
  await page.goto("/");
  await waitForReady(page);
  await page.evaluate(() => {
    const canvas = document.createElement("canvas");
    canvas.id = "probe";
    canvas.width = 8;
    canvas.height = 4;
    const context = canvas.getContext("2d");
    context.fillStyle = "rgb(255, 0, 0)";
    context.fillRect(0, 0, 4, 4);
    document.body.append(canvas);
  });

  const whole = await readCanvasPixels(page, "#probe");
  expect(whole.width).toBe(8);
  expect(whole.height).toBe(4);
  expect(whole.data).toHaveLength(8 * 4 * 4);

  const red = await readCanvasPixels(page, "#probe", { x: 1, y: 1, width: 1, height: 1 });
  expect(red.data).toEqual([255, 0, 0, 255]);

  const blank = await readCanvasPixels(page, "#probe", { x: 6, y: 2, width: 1, height: 1 });
  expect(blank.data).toEqual([0, 0, 0, 0]);
});

test("collectPageErrors records console and page errors", async ({ page }) => {
  await page.goto("/");
  await waitForReady(page);
  const errors = collectPageErrors(page);

  await page.evaluate(() => {
    console.error("probe console error");
    setTimeout(() => {
      throw new Error("probe page error");
    });
  });

  await expect.poll(() => errors.length).toBe(2);
  expect(errors[0]).toContain("console error: probe console error");
  expect(errors[1]).toContain("page error: probe page error");
});
