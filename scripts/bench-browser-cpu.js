// Estimates how much CPU time other processes took while scripts/bench-browser.js
// measured, from Linux's /proc: the machine's busy time minus that of this
// process and its descendants (the server and Chromium). The load average
// cannot tell the two apart, because Chromium itself keeps about two
// processes busy while it renders.
//
// NOTE: a descendant that exits is counted only when its parent has reaped
// it (its time then moves into the parent's cutime and cstime). Time of a
// process that no descendant reaps counts as other processes' time, so the
// estimate errs on the high side.
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import os from "node:os";

/** Returns the clock ticks per second of /proc's times (USER_HZ), from getconf, or 100 when it fails. */
function ticksPerSecond() {
  try {
    const value = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
    return Number.isFinite(value) && value > 0 ? value : 100;
  } catch {
    return 100;
  }
}

/** Returns the busy time of all cores since boot, in clock ticks, or null without /proc. */
function machineBusyTicks() {
  try {
    const fields = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, , , irq, softirq, steal] = fields;
    return user + nice + system + irq + softirq + steal;
  } catch {
    return null;
  }
}

/**
 * Returns the CPU time of process `rootPid` and all its descendants, with the
 * time of their reaped children, in clock ticks.
 */
function treeTicks(rootPid) {
  const children = new Map();
  const ticks = new Map();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) {
      continue;
    }
    let stat;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // The process exited meanwhile.
    }
    // The command name may contain spaces, so the fields are read after its
    // closing parenthesis: state, ppid, and from the 14th field of the line
    // on utime, stime, cutime and cstime.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const pid = Number(entry);
    const parent = Number(fields[1]);
    ticks.set(pid, Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]));
    if (!children.has(parent)) {
      children.set(parent, []);
    }
    children.get(parent).push(pid);
  }
  let total = 0;
  const pending = [rootPid];
  while (pending.length > 0) {
    const pid = pending.pop();
    total += ticks.get(pid) ?? 0;
    pending.push(...(children.get(pid) ?? []));
  }
  return total;
}

/**
 * Starts measuring. Returns a function that returns, for the time since,
 * the share of all cores that other processes kept busy (0 to 1), or null
 * without /proc.
 */
export function startCpuMeter() {
  const busyBefore = machineBusyTicks();
  if (busyBefore === null) {
    return () => null;
  }
  const ownBefore = treeTicks(process.pid);
  const ticks = ticksPerSecond();
  const startedAt = process.hrtime.bigint();
  return () => {
    const busy = machineBusyTicks() - busyBefore;
    const own = treeTicks(process.pid) - ownBefore;
    const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
    const capacity = seconds * ticks * os.cpus().length;
    return capacity > 0 ? Math.max(0, busy - own) / capacity : null;
  };
}
