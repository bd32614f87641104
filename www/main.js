// Placeholder page script: loads the WebAssembly engine, shows the CSV table
// for the state in location.hash, and marks the page ready for the tests.
import init, { engine_version, table_csv } from "./pkg/layerwise.js";

const table = document.getElementById("table");

function showTable() {
  table.textContent = table_csv(location.hash);
}

try {
  await init();
  document.getElementById("engine-version").textContent = engine_version();
  showTable();
  window.addEventListener("hashchange", showTable);
} catch (error) {
  table.textContent = `Failed to load the engine: ${error}`;
  console.error("Failed to load the engine:", error);
}

// The end-to-end tests wait for this attribute, also after a failure, so that
// they report the console error instead of timing out.
document.documentElement.dataset.ready = "true";
