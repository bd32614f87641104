// End-to-end check of the static text of dist/index.html: mathematical
// notation is typeset with <sub>, <sup> and Unicode, not written in TeX-like
// ASCII such as "ω_p", "N^-ℓ" or "1..L". Text that the engine writes into
// the page later is not part of this check.
import { expect, test } from "@playwright/test";

/**
 * Patterns of TeX-like notation: a caret, an underscore before a single
 * character or a non-ASCII letter ("ω_p", "E_ℓ", but not the column name
 * "error_se"), and a range written with two dots ("1..L").
 */
const TEX_LIKE = [/\^/, /_[^\sa-z]/i, /_[a-z](?![a-z])/i, /[^.\s]\.\.[^.\s]/];

test("static text has no TeX-like notation", async ({ page, baseURL }) => {
  const response = await page.request.get(`${baseURL}/index.html`);
  expect(response.ok()).toBe(true);
  const html = await response.text();

  // Parse the file without running it, so that only its static text counts.
  const texts = await page.evaluate((source) => {
    const document = new DOMParser().parseFromString(source, "text/html");
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const found = [];
    for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
      if (node.parentElement.closest("code") === null && node.textContent.trim() !== "") {
        found.push(node.textContent.trim());
      }
    }
    return found;
  }, html);

  expect(texts.length).toBeGreaterThan(100);
  const offending = texts.filter((text) => TEX_LIKE.some((pattern) => pattern.test(text)));
  expect(offending).toEqual([]);
});
