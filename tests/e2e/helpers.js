// Shared helpers for the Playwright specs in this folder: how to launch
// Debian's Chromium, how to collect console and page errors, and how to
// read canvas pixels.

/** Path of the Chromium binary, from Debian's chromium package by default. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * Launch options for Debian's Chromium. Playwright must not download its
 * own browser builds, so it starts the system binary. The flags stop
 * Chromium from opening connections to Google's services, which fail
 * without internet access. Playwright gives every launch a new temporary
 * profile (user data dir), so no state leaks between runs.
 */
export const chromiumLaunchOptions = {
  executablePath: CHROMIUM_PATH,
  headless: true,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
  ],
};

/**
 * Records every console message of type "error" and every uncaught
 * exception of `page` from now on. Returns the array that the listeners
 * append to, one readable string per error, so a spec can end with
 * `expect(errors).toEqual([])` and see the messages when it fails.
 */
export function collectPageErrors(page) {
  const errors = [];
  page.on("console", (message) => {
    if (message.type() !== "error") {
      return;
    }
    const { url, lineNumber } = message.location();
    const where = url ? ` (${url}:${lineNumber})` : "";
    errors.push(`console error: ${message.text()}${where}`);
  });
  page.on("pageerror", (error) => {
    errors.push(`page error: ${error.message}`);
  });
  return errors;
}

/**
 * Waits until the page script has set `data-ready="true"` on the root
 * element, which it does once the engine has loaded or failed to load.
 */
export async function waitForReady(page, { timeout = 15_000 } = {}) {
  await page.locator('html[data-ready="true"]').waitFor({ state: "attached", timeout });
}

/**
 * Reads the RGBA pixels of a rectangle of the canvas that `selector`
 * matches. The rectangle is in canvas pixels and defaults to the whole
 * canvas. Returns `{ width, height, data }`, where `data` is a plain array
 * of `width * height * 4` bytes in row-major RGBA order.
 *
 * The canvas is copied onto a new 2D canvas first, so this works whatever
 * context the page draws with. NOTE: a WebGL canvas reads back blank unless
 * the page created its context with `preserveDrawingBuffer: true`.
 */
export async function readCanvasPixels(page, selector, rectangle = {}) {
  return page.evaluate(
    ({ selector, rectangle }) => {
      const source = document.querySelector(selector);
      if (!(source instanceof HTMLCanvasElement)) {
        throw new Error(`no canvas matches ${selector}`);
      }
      const x = rectangle.x ?? 0;
      const y = rectangle.y ?? 0;
      const width = rectangle.width ?? source.width - x;
      const height = rectangle.height ?? source.height - y;

      const copy = document.createElement("canvas");
      copy.width = width;
      copy.height = height;
      const context = copy.getContext("2d");
      context.drawImage(source, x, y, width, height, 0, 0, width, height);
      const image = context.getImageData(0, 0, width, height);
      return { width, height, data: Array.from(image.data) };
    },
    { selector, rectangle },
  );
}

/**
 * Returns a short digest of the pixels and sizes of every canvas on the
 * page, so that a spec can tell whether anything drawn has changed.
 */
export async function canvasDigest(page) {
  return page.evaluate(() => {
    let hash = 2166136261;
    const mix = (value) => {
      hash ^= value;
      hash = Math.imul(hash, 16777619) >>> 0;
    };
    for (const canvas of document.querySelectorAll("canvas")) {
      mix(canvas.width);
      mix(canvas.height);
      if (canvas.width === 0 || canvas.height === 0) {
        continue;
      }
      const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
      for (let index = 0; index < data.length; index += 4) {
        mix(data[index] | (data[index + 1] << 8) | (data[index + 2] << 16));
      }
    }
    return hash.toString(16);
  });
}

/** Returns the `data-render-count` of the page as a number (0 before any render). */
export async function renderCount(page) {
  return page.evaluate(() => Number(document.documentElement.dataset.renderCount ?? 0));
}

/**
 * Waits until the page has completed a render after `previous` renders and
 * every number of the error table is final.
 */
export async function waitForRenderAndFinal(page, previous, { timeout = 20_000 } = {}) {
  await page.waitForFunction(
    (count) => Number(document.documentElement.dataset.renderCount ?? 0) > count,
    previous,
    { timeout },
  );
  await waitForFinal(page, { timeout });
}

/** Waits until the error table carries `data-final="true"`. */
export async function waitForFinal(page, { timeout = 20_000 } = {}) {
  await page.locator('#error-table[data-final="true"]').waitFor({ state: "attached", timeout });
}

/** Returns the error table as CSV text: the header, then one line per row. */
export async function tableCsv(page) {
  return page.evaluate(() => {
    const table = document.getElementById("error-table");
    const lines = [];
    for (const row of table.querySelectorAll("tr")) {
      lines.push([...row.cells].map((cell) => cell.textContent.trim()).join(","));
    }
    return `${lines.join("\n")}\n`;
  });
}
