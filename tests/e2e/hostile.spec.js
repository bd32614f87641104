// Malformed and hostile input against the built page: links from
// tests/e2e/fixtures/hostile-links.js, odd text typed into the expression
// box, over-long control values and a failing engine. For every link the
// page must stay free of console and page errors, dialogs and CSP
// violations, and no element or event handler may be injected. Its message
// must name each repaired key, and the URL must become the canonical
// fragment of the repaired state, with an invalid expression's text kept.
// The table must show only finite or explicit numbers, and the controls
// must keep working.
//
// Most links are opened in one shared page by setting `location.hash`,
// which the page decodes like a new link; the cases marked `load` get a
// fresh page load each.
import { expect, test } from "@playwright/test";

import { collectPageErrors, renderCount, waitForFinal, waitForReady } from "./helpers.js";
import { HOSTILE_LINKS, canonicalFragment } from "./fixtures/hostile-links.js";

/** A small valid state that every shared-page run starts from. */
const START = "#v=1&d=1&n=3&depth=4&target=kink&level=2";

/** Milliseconds allowed for the first render of any link. */
const READY_TIMEOUT = 30_000;

/** Milliseconds allowed for the numbers of a link to become final. */
const FINAL_TIMEOUT = 20_000;

/**
 * A number of the error table: e-notation with six digits, 0, an explicit
 * non-finite value, or an empty cell marked unavailable or pending.
 */
const TABLE_NUMBER = /^(0|-?\d\.\d{5}e-?\d+|inf|-inf|nan|unavailable|pending)$/;

/** Texts of the link repairs, which a valid link must not cause. */
const REPAIR_WORDS = /The value|The empty value|The link|The key|malformed|unknown key/;

/** Elements that a message may consist of, and their only attributes. */
const MESSAGE_TAGS = ["P", "PRE", "BUTTON"];
const MESSAGE_ATTRIBUTES = ["class", "type", "data-action", "title"];

/**
 * Starts recording what must never happen: console and page errors (from
 * `collectPageErrors`), dialogs, which are dismissed, and CSP violations,
 * which an init script collects in `window.__cspViolations` from the next
 * navigation on.
 */
async function watchForHarm(page) {
  const errors = collectPageErrors(page);
  const dialogs = [];
  page.on("dialog", async (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    await dialog.dismiss();
  });
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (event) => {
      window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI}`);
    });
  });
  return { errors, dialogs };
}

/** Counts what a successful injection would leave in the document. */
async function injectionReport(page) {
  return page.evaluate(() => {
    const all = [...document.querySelectorAll("*")];
    const handlers = all.flatMap((element) =>
      [...element.attributes]
        .filter((attribute) => attribute.name.toLowerCase().startsWith("on"))
        .map((attribute) => `${element.tagName} ${attribute.name}`),
    );
    const inMessage = [...document.getElementById("message").querySelectorAll("*")];
    return {
      scripts: document.querySelectorAll("script").length,
      images: document.querySelectorAll("img, image").length,
      frames: document.querySelectorAll("iframe, frame, object, embed").length,
      handlers,
      messageTags: [...new Set(inMessage.map((element) => element.tagName))],
      messageAttributes: [...new Set(inMessage.flatMap((element) => element.getAttributeNames()))],
      hostileGlobal: window.__hostile ?? null,
      cspViolations: window.__cspViolations ?? ["the CSP listener is missing"],
    };
  });
}

/** Checks that nothing was injected and nothing harmful was recorded. */
async function expectNoHarm(page, { errors, dialogs }) {
  const report = await injectionReport(page);
  expect(report.scripts, "script elements").toBe(1);
  expect(report.images, "img elements").toBe(0);
  expect(report.frames, "frame elements").toBe(0);
  expect(report.handlers, "inline event handlers").toEqual([]);
  for (const tag of report.messageTags) {
    expect(MESSAGE_TAGS, `element <${tag}> in #message`).toContain(tag);
  }
  for (const name of report.messageAttributes) {
    expect(MESSAGE_ATTRIBUTES, `attribute ${name} in #message`).toContain(name);
  }
  expect(report.hostileGlobal, "a payload ran").toBeNull();
  expect(report.cspViolations, "CSP violations").toEqual([]);
  expect(dialogs, "dialogs").toEqual([]);
  expect(errors, "console and page errors").toEqual([]);
}

/** Digest of the panel canvases (not the error chart, which refinement redraws). */
async function panelDigest(page) {
  return page.evaluate(() => {
    let hash = 2166136261;
    const mix = (value) => {
      hash ^= value;
      hash = Math.imul(hash, 16777619) >>> 0;
    };
    for (const canvas of document.querySelectorAll("#thumbs canvas, #focus canvas")) {
      mix(canvas.width);
      mix(canvas.height);
      if (canvas.width === 0 || canvas.height === 0) {
        continue;
      }
      const context = canvas.getContext("2d", { willReadFrequently: true });
      const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
      for (let index = 0; index < data.length; index += 16) {
        mix(data[index] | (data[index + 1] << 8) | (data[index + 2] << 16));
      }
    }
    return hash.toString(16);
  });
}

/**
 * Waits until the page has completed more than `previous` renders, and
 * fails at once with the page's message if the engine stopped instead.
 */
async function waitForRenderAfter(page, previous) {
  await page.waitForFunction(
    (count) => {
      const root = document.documentElement;
      return root.dataset.panic === "true" || Number(root.dataset.renderCount ?? 0) > count;
    },
    previous,
    { timeout: READY_TIMEOUT },
  );
  const stopped = await page.evaluate(() => document.documentElement.dataset.panic === "true");
  expect(stopped, await page.locator("#message").textContent()).toBe(false);
}

/**
 * Loads `url` and waits for the first render. Fails with the page's
 * message if the engine stopped instead.
 */
async function load(page, url) {
  await page.goto(url);
  await waitForReady(page, { timeout: READY_TIMEOUT });
  const stopped = await page.evaluate(() => document.documentElement.dataset.panic === "true");
  expect(stopped, await page.locator("#message").textContent()).toBe(false);
}

/** Opens `fragment` in the loaded page by setting `location.hash`. */
async function openByHash(page, fragment) {
  const previous = await renderCount(page);
  await page.evaluate((value) => {
    location.hash = value;
  }, fragment);
  await waitForRenderAfter(page, previous);
}

/**
 * Returns the rows of the error table as arrays of cell texts. An empty
 * cell whose class and title give the reason reads as "unavailable" (a
 * network number that this state cannot have) or "pending" (a network
 * number not computed yet).
 */
async function tableRows(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll("#error-table tbody tr")].map((row) =>
      [...row.cells].map((cell) => {
        const text = cell.textContent.trim();
        const title = cell.getAttribute("title") ?? "";
        if (text === "" && cell.classList.contains("unavailable") && title.startsWith("not available")) {
          return "unavailable";
        }
        if (text === "" && cell.classList.contains("pending") && title.startsWith("not final")) {
          return "pending";
        }
        return text;
      }),
    ),
  );
}

/**
 * Checks that every number of the table is finite or written as inf or
 * nan, that an infinite ratio comes with a zero bound, and that any other
 * non-finite number is explained in #message. Empty pending cells pass
 * only when `final` is false.
 */
async function expectExplicitNumbers(page, { final = false } = {}) {
  const rows = await tableRows(page);
  const message = (await page.locator("#message").textContent()) ?? "";
  for (const row of rows) {
    expect(row, "table row").toHaveLength(6);
    expect(row[0], "level").toMatch(/^\d+$/);
    expect(row[1], "cells").toMatch(/^\d+$/);
    for (const cell of row.slice(2)) {
      expect(cell, `table row ${row.join(",")}`).toMatch(TABLE_NUMBER);
      if (final) {
        expect(cell, `final table row ${row.join(",")}`).not.toBe("pending");
      }
    }
    if (row[5] === "inf") {
      expect(row[4], `infinite ratio in row ${row.join(",")}`).toBe("0");
    }
    if (row.slice(2, 5).some((cell) => /inf|nan/.test(cell))) {
      expect(message, `row ${row.join(",")} without a reason`).toMatch(/not finite|inf or nan/);
    }
  }
}

/** Checks that #message contains every text of `mentions`. */
async function expectMentions(page, mentions) {
  for (const text of mentions) {
    await expect(page.locator("#message")).toContainText(text, { timeout: FINAL_TIMEOUT });
  }
}

/** Checks that the URL fragment is the canonical one of `state` changes. */
async function expectCanonicalUrl(page, state) {
  const expected = `#${canonicalFragment(state)}`;
  await expect.poll(() => page.evaluate(() => location.hash)).toBe(expected);
  await expect(page.locator("#share-url")).toHaveValue(new RegExp(`${escapeRegExp(expected)}$`));
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Targets that the responsiveness check switches to, in turn. Kink is not
 * one of them, because the default expression abs(x - 1/3) draws the same.
 */
const RESPONSE_TARGETS = ["sine", "jump", "weierstrass"];
let responseTurn = 0;

/**
 * Changes the target control and checks that the page renders again with
 * different panels and the URL of the changed state. This is the check
 * that the page still responds: after an invalid expression only a change
 * of target can draw, and the expression's text must survive it.
 *
 * The new target differs from the state's and from the one chosen last
 * time, which an invalid expression leaves on the panels.
 */
async function expectControlsRespond(page, state) {
  const current = state.target ?? "weierstrass";
  let other;
  do {
    other = RESPONSE_TARGETS[responseTurn % RESPONSE_TARGETS.length];
    responseTurn += 1;
  } while (other === current);
  const before = await panelDigest(page);
  const previous = await renderCount(page);

  await page.selectOption("#target", other);
  await waitForRenderAfter(page, previous);

  expect(await panelDigest(page), "panels after changing the target").not.toBe(before);
  await expectCanonicalUrl(page, { ...state, target: other });
}

/** Runs every check of one link case on a page that has just opened it. */
async function checkLinkCase(page, harm, linkCase) {
  await expectMentions(page, linkCase.mentions);
  const message = (await page.locator("#message").textContent()) ?? "";
  if (linkCase.clean) {
    expect(message).not.toMatch(REPAIR_WORDS);
  }
  await expectCanonicalUrl(page, linkCase.state);
  await expectExplicitNumbers(page);
  if (!linkCase.invalidExpression && !linkCase.slowNumbers) {
    await waitForFinal(page, { timeout: FINAL_TIMEOUT });
    await expectExplicitNumbers(page, { final: true });
  }
  await expectNoHarm(page, harm);

  await expectControlsRespond(page, linkCase.state);
  await expectExplicitNumbers(page);
  await expectNoHarm(page, harm);
}

test.describe("hostile links in one page", () => {
  let page;
  let harm;

  test.beforeAll(async ({ browser }) => {
    page = await browser.newPage();
    harm = await watchForHarm(page);
    await load(page, `/${START}`);
  });

  test.afterAll(async () => {
    await page.close();
  });

  for (const linkCase of HOSTILE_LINKS.filter((entry) => !entry.load)) {
    test(`link: ${linkCase.name}`, async () => {
      harm.errors.length = 0;
      harm.dialogs.length = 0;

      await openByHash(page, linkCase.fragment);

      await checkLinkCase(page, harm, linkCase);
    });
  }
});

test.describe("hostile links on fresh loads", () => {
  for (const linkCase of HOSTILE_LINKS.filter((entry) => entry.load)) {
    test(`load: ${linkCase.name}`, async ({ page }) => {
      const harm = await watchForHarm(page);
      await load(page, `/#${linkCase.fragment}`);

      await checkLinkCase(page, harm, linkCase);

      // The canonical link of the repaired state opens without repairs.
      const canonical = await page.evaluate(() => location.href);
      await page.goto("about:blank");
      await load(page, canonical);
      const message = (await page.locator("#message").textContent()) ?? "";
      expect(message).not.toMatch(REPAIR_WORDS);
      expect(page.url()).toBe(canonical);
      await expectNoHarm(page, harm);
    });
  }
});

test("CSP blocks inline script and handlers", async ({ page }) => {
  const harm = await watchForHarm(page);
  await page.goto(`/${START}`);
  await waitForReady(page);

  const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content");
  const directives = Object.fromEntries(
    policy.split(";").map((directive) => {
      const [name, ...values] = directive.trim().split(/\s+/);
      return [name, values];
    }),
  );
  expect(directives["script-src"]).toEqual(["'self'", "'wasm-unsafe-eval'"]);
  expect(directives["default-src"]).toEqual(["'self'"]);
  expect(directives["object-src"]).toEqual(["'none'"]);
  expect(directives["base-uri"]).toEqual(["'none'"]);
  expect(policy).not.toContain("unsafe-inline");
  expect(policy).not.toMatch(/'unsafe-eval'/);

  // The listener records violations, so the empty lists of the other tests
  // mean something. Code that Playwright evaluates is exempt from the
  // policy, but the script element and the handler attribute it adds are
  // not. An eval called from evaluated code is exempt too, so the absence
  // of 'unsafe-eval' above is the check for eval.
  const outcome = await page.evaluate(async () => {
    const script = document.createElement("script");
    script.textContent = "window.__hostile = 'inline script ran';";
    document.body.append(script);
    script.remove();
    const button = document.createElement("button");
    button.setAttribute("onclick", "window.__hostile = 'inline handler ran';");
    document.body.append(button);
    button.click();
    button.remove();
    await new Promise((resolve) => setTimeout(resolve, 100));
    return { hostile: window.__hostile ?? null, violations: window.__cspViolations };
  });
  expect(outcome.hostile).toBeNull();
  expect(outcome.violations).toHaveLength(2);
  expect(outcome.violations.every((violation) => violation.startsWith("script-src"))).toBe(true);
  expect(harm.errors).toHaveLength(2);
  expect(harm.errors.every((error) => error.includes("Content Security Policy"))).toBe(true);
});

/** Odd texts typed into the expression box, with the character the error points at. */
const TYPED_EXPRESSIONS = [
  { text: "x +* 2", position: 4 },
  { text: "sin(", position: 5 },
  { text: ")", position: 1 },
  { text: "2x", position: 2 },
  { text: "×", position: 1 },
  { text: "x²", position: 2 },
  { text: "x\u200Dx", position: 2 },
  { text: "y", position: 1 },
  { text: "1e999", position: 1 },
  { text: `${"(".repeat(70)}x${")".repeat(70)}`, position: 65 },
];

test.describe("typed expressions", () => {
  let page;
  let harm;
  let goodUrl;
  let goodPanels;

  test.beforeAll(async ({ browser }) => {
    page = await browser.newPage();
    harm = await watchForHarm(page);
    await page.goto("/#v=1&d=1&n=3&depth=4&target=custom&expr=x*x&level=2");
    await waitForReady(page);
    await waitForFinal(page);
    goodUrl = page.url();
    goodPanels = await panelDigest(page);
  });

  test.afterAll(async () => {
    await page.close();
  });

  for (const { text, position } of TYPED_EXPRESSIONS) {
    test(`typed: ${JSON.stringify(text).slice(0, 40)}`, async () => {
      harm.errors.length = 0;
      const previous = await renderCount(page);

      await page.locator("#expr").fill(text);
      await waitForRenderAfter(page, previous);

      const message = page.locator("#message");
      await expect(message).toContainText("The expression is not valid");
      await expect(message).toContainText(`(at character ${position})`);
      await expect(message).toContainText("still shows the last valid target");
      // The caret line points at the same character.
      const detail = await message.locator("pre").textContent();
      const caretLine = detail.split("\n")[1];
      expect(caretLine.indexOf("^")).toBe(Math.min(position - 1, 120));
      expect(page.url()).toBe(goodUrl);
      expect(await panelDigest(page)).toBe(goodPanels);
      await expect(page.locator("#expr")).toHaveValue(text);
      await expectNoHarm(page, harm);
    });
  }

  test("typed: 5,000 characters are rejected", async () => {
    harm.errors.length = 0;
    const previous = await renderCount(page);

    await page.locator("#expr").fill("x+".repeat(2500));
    await waitForRenderAfter(page, previous);

    const message = page.locator("#message");
    await expect(message).toContainText("The value entered for expr has 5000 characters");
    await expect(message).toContainText("not applied");
    expect(page.url()).toBe(goodUrl);
    expect(await panelDigest(page)).toBe(goodPanels);
    await expectNoHarm(page, harm);
  });

  test("typed: power tower is drawn", async () => {
    harm.errors.length = 0;
    const previous = await renderCount(page);

    await page.locator("#expr").fill("x^x^x^x^x^x^x^x");
    await waitForRenderAfter(page, previous);
    await waitForFinal(page);

    await expect(page.locator("#message")).not.toContainText("not valid");
    expect(page.url()).toContain("expr=x%5Ex%5Ex%5Ex%5Ex%5Ex%5Ex%5Ex");
    expect(await panelDigest(page)).not.toBe(goodPanels);
    await expectExplicitNumbers(page);
    await expectNoHarm(page, harm);
  });

  test("typed: valid text after errors applies", async () => {
    harm.errors.length = 0;
    await page.locator("#expr").fill("sin(");
    const previous = await renderCount(page);

    await page.locator("#expr").fill("sin(3*x)");
    await waitForRenderAfter(page, previous);
    await waitForFinal(page);

    await expect(page.locator("#message")).not.toContainText("not valid");
    expect(page.url()).toContain("expr=sin(3*x)");
    await expectNoHarm(page, harm);
  });
});

test("long number in eps keeps the expression", async ({ page }) => {
  const harm = await watchForHarm(page);
  await page.goto("/#v=1&d=1&n=3&depth=4&target=custom&expr=x*x&level=2");
  await waitForReady(page);
  const url = page.url();
  const previous = await renderCount(page);

  // A valid number input value of 20,003 characters.
  await page.locator("#eps").fill(`0.${"0".repeat(20_000)}1`);
  await page.locator("#eps").press("Tab");
  await waitForRenderAfter(page, previous);

  await expect(page.locator("#message")).toContainText("The value entered for eps has 20003 characters");
  expect(page.url()).toBe(url);
  await expect(page.locator("#expr")).toHaveValue("x*x");
  await expectNoHarm(page, harm);
});

test("engine failure offers reload of same link", async ({ page }) => {
  // A Rust panic aborts on wasm32 and reaches the page script as a thrown
  // RuntimeError, after the panic hook has written its message. No link or
  // typed value is known to cause one, so the wasm-bindgen glue is served
  // with setValue throwing that error for one sentinel value.
  await page.route("**/pkg/layerwise.js", async (route) => {
    const response = await route.fetch();
    const glue = await response.text();
    const patched = glue.replace(
      /(\n\s*setValue\(key, value\) \{\n)/,
      '$1        if (value === "hostile-failure") { throw new WebAssembly.RuntimeError("unreachable"); }\n',
    );
    expect(patched, "the glue has a setValue method to patch").not.toBe(glue);
    await route.fulfill({ response, body: patched });
  });
  const harm = await watchForHarm(page);
  const link = "/#v=1&d=1&n=5&depth=6&target=custom&expr=sin(9*x)&level=4";
  await page.goto(link);
  await waitForReady(page);
  const url = page.url();

  await page.evaluate(() => {
    const field = document.getElementById("expr");
    field.value = "hostile-failure";
    field.dispatchEvent(new Event("input"));
  });

  const message = page.locator("#message");
  await expect(message).toContainText("The page stopped because of an internal error");
  await expect(message).toContainText("RuntimeError: unreachable");
  await expect(message).toContainText("Reload");
  expect(harm.errors).toHaveLength(1);
  expect(harm.errors[0]).toContain("layerwise stopped");
  expect(page.url()).toBe(url);

  // Later input is ignored without new errors, and the message stays.
  await page.locator("#n").fill("7");
  await page.waitForTimeout(200);
  await expect(message).toContainText("The page stopped");
  expect(harm.errors).toHaveLength(1);

  await Promise.all([page.waitForEvent("load"), message.locator('button[data-action="reload"]').click()]);
  await waitForReady(page);
  expect(page.url()).toBe(url);
  await expect(page.locator("#n")).toHaveValue("5");
  await expect(page.locator("#expr")).toHaveValue("sin(9*x)");
  await expect(page.locator("#level")).toHaveValue("4");
  await expect(message).not.toContainText("stopped");
  expect(harm.errors).toHaveLength(1);
});
