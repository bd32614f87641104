// Playwright configuration of the end-to-end tests in tests/e2e. They run
// against the built site in dist/ (run ./scripts/build.sh first), served by
// scripts/serve.py on 127.0.0.1. scripts/test.sh sets LAYERWISE_E2E_PORT to
// a free port, and a run by hand uses port 8100 unless it is set.
import { defineConfig } from "@playwright/test";

import { chromiumLaunchOptions } from "./tests/e2e/helpers.js";

const port = Number(process.env.LAYERWISE_E2E_PORT ?? 8100);
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: "tests/e2e",
  outputDir: "test-results",
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  workers: 1,
  timeout: 30_000,
  reporter: "list",
  use: {
    baseURL,
    browserName: "chromium",
    launchOptions: chromiumLaunchOptions,
    trace: "retain-on-failure",
  },
  webServer: {
    command: `python3 scripts/serve.py --port ${port} --directory dist --quiet`,
    url: `${baseURL}/`,
    reuseExistingServer: false,
    timeout: 30_000,
    stdout: "ignore",
    stderr: "pipe",
  },
});
