"""Vectorised NumPy reference of the engine's final numbers for `weierstrass`.

For the lacunary target the engine finishes every level with randomised
quasi-Monte-Carlo (see `src/analysis.rs`), and this module repeats that
computation with the same sample counts, seeds and point sets:

- the error ‖f − Φ_ℓ‖_p from 8 Cranley–Patterson shifts of 8192 points of
  the R_d sequence (`src/deviation.rs`, `MonteCarloError`). Φ_ℓ comes from
  tabulated cell means on levels with at most 4096 cells, and from
  closed-form means per point on finer levels (`src/readout.rs`);
- the sampled modulus: for each of the 64 shifts h of `shift_set`, 1024
  points mapped into Ω_h (`src/modulus.rs`), maximised over h, and then the
  running maximum from the finest level up (`monotone_envelope`).

f is evaluated with the engine's own algorithm (`src/target/weierstrass.rs`
and `src/trig.rs`): sin(πr) and cos(πr) by exact argument reduction and
Taylor polynomials, then cos(2^k πx) by squaring e^{iπ2^k x} from one term
to the next, resynchronised every 8 terms. Every step is plain IEEE
arithmetic, so point sets and function values agree bit for bit with the
engine, and only the order of summation differs.

Every per-point and per-cell step is a NumPy array operation. The Python
loops run over terms of the cosine sum, levels, the 8 error shifts or the
N^d children of a cell, never over points or cells.

Run `python3 benches/numpy_reference.py --d 1 --n 4 --depth 10` to print the
rows as JSON.
"""

import argparse
import json
import math

import numpy as np

# Constants copied from the engine. A change there must be repeated here, and
# the comparison in scripts/bench_numpy.py then fails until it is.

# src/target/weierstrass.rs: frequency ratio, last term index, terms between
# exact phase recomputations.
WEIERSTRASS_BASE = 2.0
WEIERSTRASS_TERMS = 20
RESYNC = 8

# src/analysis.rs: points per error shift and per modulus shift, and the
# cell limit of the draft tables that the final error reuses. The engine
# takes min(4096, DRAFT_BUDGET / 4 / cost) cells (`draft_table_cells`),
# which is 4096 for weierstrass, whose cost is 5.
FINAL_ERROR_POINTS = 8192
FINAL_OMEGA_POINTS = 1024
DRAFT_TABULATE_MAX_CELLS = 4096

# src/deviation.rs and src/modulus.rs.
ERROR_SHIFTS = 8
SHIFTS_PER_SCALE = 64

# Elements per block of the cosine sums: 16384 doubles are 128 KiB per
# array, so the arrays of one block fit a typical L2 cache. On the machine
# of BENCHMARKS.md, blocks of 8192 and 16384 were fastest, 4096 was 10-20 %
# slower, 65536 40-50 % and unblocked arrays up to 2 times slower.
BLOCK = 16384

MASK_64 = (1 << 64) - 1


# Quasi-Monte-Carlo points (src/qmc.rs).


# round(a_i * 2^64) for the steps a_i of the R_d sequence (src/qmc.rs).
STEP_BITS = {
    1: (0x9E37_79B9_7F4A_7C16,),
    2: (0xC13F_A9A9_02A6_328F, 0x91E1_0DA5_C79E_7B1D),
}


def splitmix64(state):
    """Return the next SplitMix64 state and its output, as Python ints."""
    state = (state + 0x9E37_79B9_7F4A_7C15) & MASK_64
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9) & MASK_64
    z = ((z ^ (z >> 27)) * 0x94D0_49BB_1331_11EB) & MASK_64
    return state, z ^ (z >> 31)


def unit_from_bits(bits):
    """Return a double in [0, 1) from the top 53 bits of a 64-bit int."""
    return float(bits >> 11) * (1.0 / float(1 << 53))


def qmc_shifts(seed, count):
    """Return `count` shift vectors in [0,1)^2 drawn from `seed`."""
    state = seed
    result = []
    for _ in range(count):
        state, first = splitmix64(state)
        state, second = splitmix64(state)
        result.append((unit_from_bits(first), unit_from_bits(second)))
    return result


def qmc_coordinates(d, shift, count, lo, hi):
    """Compute points 0..count of the shifted R_d sequence mapped into [lo, hi].

    `shift`, `lo` and `hi` are pairs of arrays (or floats) that broadcast
    against the point index, which runs along the last axis. Returns the x
    and y coordinates, with y None in 1D.
    """
    k = np.arange(count, dtype=np.uint64)
    coordinates = []
    for axis in range(d):
        # 64-bit fixed point, as src/qmc.rs: the shift is a multiple of
        # 2^-53, and uint64 array arithmetic wraps modulo 2^64.
        start = (np.asarray(shift[axis]) * 2.0**53).astype(np.uint64) << np.uint64(11)
        bits = start + k * np.uint64(STEP_BITS[d][axis])
        unit = (bits >> np.uint64(11)).astype(np.float64) * 2.0**-53
        coordinates.append(lo[axis] + (hi[axis] - lo[axis]) * unit)
    if d == 1:
        return coordinates[0], None
    return coordinates[0], coordinates[1]


def combine(estimates):
    """Return the mean and standard error of independent estimates."""
    count = float(len(estimates))
    total = 0.0
    for estimate in estimates:
        total += estimate
    mean = total / count
    squares = 0.0
    for estimate in estimates:
        squares += (estimate - mean) * (estimate - mean)
    variance = squares / (count - 1.0)
    return mean, math.sqrt(variance / count)


# The lacunary cosine sum (src/trig.rs, src/target/weierstrass.rs).

# Taylor coefficients of sin (to z^17) and cos (to z^16), highest first.
SIN_COEFFICIENTS = (
    -1.0 / 355_687_428_096_000.0,
    1.0 / 1_307_674_368_000.0,
    -1.0 / 6_227_020_800.0,
    1.0 / 39_916_800.0,
    -1.0 / 362_880.0,
    1.0 / 5040.0,
    -1.0 / 120.0,
    1.0 / 6.0,
)
COS_COEFFICIENTS = (
    1.0 / 20_922_789_888_000.0,
    -1.0 / 87_178_291_200.0,
    1.0 / 479_001_600.0,
    -1.0 / 3_628_800.0,
    1.0 / 40_320.0,
    -1.0 / 720.0,
    1.0 / 24.0,
    -0.5,
)


def sin_cos_pi(r):
    """Compute sin(πr) and cos(πr) for finite r as `src/trig.rs` does."""
    # r mod 2 in [0, 2), exact. The folds into [0, 1), [0, 1/2] and
    # [0, 1/4] are exact too.
    u = r - 2.0 * np.floor(r * 0.5)
    u = np.where(u >= 2.0, 0.0, u)
    half_turn = u >= 1.0
    u = np.where(half_turn, u - 1.0, u)
    sin_sign = np.where(half_turn, -1.0, 1.0)
    mirrored = u > 0.5
    u = np.where(mirrored, 1.0 - u, u)
    cos_sign = np.where(mirrored, -sin_sign, sin_sign)
    swapped = u > 0.25
    z = np.where(swapped, 0.5 - u, u)
    z *= np.pi
    z2 = z * z

    # Horner's rule in place, in the engine's order of operations.
    acc = z2 * SIN_COEFFICIENTS[0]
    for coefficient in SIN_COEFFICIENTS[1:-1]:
        acc += coefficient
        acc *= z2
    acc += SIN_COEFFICIENTS[-1]
    sin_z = z * z2
    sin_z *= acc
    sin_z = z - sin_z

    acc = z2 * COS_COEFFICIENTS[0]
    for coefficient in COS_COEFFICIENTS[1:-1]:
        acc += coefficient
        acc *= z2
    acc += COS_COEFFICIENTS[-1]
    acc *= z2
    acc += 1.0
    cos_z = acc

    sin_value = np.where(swapped, cos_z, sin_z)
    cos_value = np.where(swapped, sin_z, cos_z)
    sin_value *= sin_sign
    cos_value *= cos_sign
    return sin_value, cos_value


def weierstrass_weights(alpha):
    """Return the normalised amplitudes 2^{-αk}/S, k = 0..20."""
    weights = [
        WEIERSTRASS_BASE ** (-alpha * float(k)) for k in range(WEIERSTRASS_TERMS + 1)
    ]
    total = 0.0
    for weight in weights:
        total += weight
    return [weight / total for weight in weights]


def advance_phases(k, x, sin, cos):
    """Return sin and cos of π·2^k·x, given those of term k − 1."""
    if k % RESYNC == 0:
        return sin_cos_pi(x * float(1 << k))
    new_cos = cos * cos
    new_cos -= sin * sin
    sin *= 2.0
    sin *= cos
    return sin, new_cos


def in_blocks(function, *arrays):
    """Apply an elementwise `function` to flat blocks of `BLOCK` elements.

    Blocking keeps the 21 passes of the cosine sum over a block inside the
    CPU cache. The result has the shape of the first array.
    """
    flats = [array.ravel() for array in arrays]
    out = np.empty_like(flats[0])
    for start in range(0, out.size, BLOCK):
        stop = start + BLOCK
        out[start:stop] = function(*(flat[start:stop] for flat in flats))
    return out.reshape(arrays[0].shape)


def g_block(weights, x):
    """Compute g(x) = Σ_k w_k cos(2^k πx) for one block."""
    values = np.zeros_like(x)
    term = np.empty_like(x)
    sin = cos = None
    for k, weight in enumerate(weights):
        sin, cos = advance_phases(k, x, sin, cos)
        np.multiply(cos, weight, out=term)
        values += term
    return values


def g_mean_block(weights, starts, ends):
    """Compute the means of g over [starts, ends] for one block.

    Each term averages to cos(2^k π m)·sinc(2^k (b − a)/2) with m the
    midpoint. For z = 2^k π (b − a)/2 below 1e-4 the sinc is 1 − z²/6.
    """
    mids = 0.5 * (starts + ends)
    halves = 0.5 * (ends - starts)
    values = np.zeros_like(mids)
    centre_sin = centre_cos = width_sin = width_cos = None
    for k, weight in enumerate(weights):
        centre_sin, centre_cos = advance_phases(k, mids, centre_sin, centre_cos)
        width_sin, width_cos = advance_phases(k, halves, width_sin, width_cos)
        z = (math.pi * float(1 << k)) * halves
        small = z < 1e-4
        with np.errstate(divide="ignore", invalid="ignore"):
            sinc = np.where(small, 1.0 - z * z / 6.0, width_sin / z)
        term = weight * centre_cos
        term *= sinc
        values += term
    return values


def g_values(weights, x):
    """Compute g(x) elementwise."""
    return in_blocks(lambda block: g_block(weights, block), x)


def g_means(weights, starts, ends):
    """Compute the means of g over the intervals [starts, ends] elementwise."""
    return in_blocks(lambda a, b: g_mean_block(weights, a, b), starts, ends)


def f_values(weights, x, y):
    """Compute f: g(x) in 1D (y is None), (g(x) + g(y))/2 in 2D."""
    if y is None:
        return g_values(weights, x)
    # One call for both coordinates halves the Python overhead per term.
    both = g_values(weights, np.concatenate((x.ravel(), y.ravel())))
    gx = both[: x.size].reshape(x.shape)
    gy = both[x.size :].reshape(y.shape)
    return 0.5 * (gx + gy)


# Readouts Φ_ℓ (src/grid.rs, src/readout.rs).


def axis_index(x, per_axis):
    """Return the cell index along one axis: half-open cells, last one closed."""
    scaled = x * float(per_axis)
    last = per_axis - 1
    index = np.floor(np.clip(scaled, 0.0, float(last))).astype(np.int64)
    return index


def axis_bounds(index, per_axis):
    """Return the lower and upper bounds of the cells `index` along one axis."""
    m = float(per_axis)
    return index.astype(np.float64) / m, (index + 1).astype(np.float64) / m


def grid_means(weights, d, per_axis):
    """Compute the exact means of every cell, row-major with x fastest."""
    starts, ends = axis_bounds(np.arange(per_axis), per_axis)
    axis = g_means(weights, starts, ends)
    if d == 1:
        return axis
    return (0.5 * (axis[np.newaxis, :] + axis[:, np.newaxis])).ravel()


def aggregate(means, d, n, per_axis):
    """Average each parent cell's N^d children, in the engine's order."""
    parent_axis = per_axis // n
    if d == 1:
        children = means.reshape(parent_axis, n)
        sums = np.zeros(parent_axis)
        for dx in range(n):
            sums += children[:, dx]
        return sums / float(n)
    children = means.reshape(parent_axis, n, parent_axis, n)
    sums = np.zeros((parent_axis, parent_axis))
    for dy in range(n):
        for dx in range(n):
            sums += children[:, dy, :, dx]
    return sums.ravel() / float(n * n)


def draft_tables(weights, d, n, depth):
    """Tabulate the levels with at most 4096 cells, as `Readouts::new` does.

    The finest such level gets closed-form means and coarser levels are
    averaged from it. Returns a dict from level to its table.
    """
    finest = max(
        level
        for level in range(depth + 1)
        if n ** (d * level) <= DRAFT_TABULATE_MAX_CELLS
    )
    tables = {}
    means = grid_means(weights, d, n**finest)
    for level in range(finest, -1, -1):
        tables[level] = means
        if level > 0:
            means = aggregate(means, d, n, n**level)
    return tables


def readout_values(weights, tables, d, n, level, x, y):
    """Compute Φ_level at the points (x, y): the mean over each point's cell."""
    per_axis = n**level
    ix = axis_index(x, per_axis)
    iy = None if y is None else axis_index(y, per_axis)
    if level in tables:
        flat = ix if y is None else ix + iy * per_axis
        return tables[level][flat]
    starts, ends = axis_bounds(ix, per_axis)
    if y is None:
        return g_means(weights, starts, ends)
    starts_y, ends_y = axis_bounds(iy, per_axis)
    both = g_means(
        weights,
        np.concatenate((starts.ravel(), starts_y.ravel())),
        np.concatenate((ends.ravel(), ends_y.ravel())),
    )
    return 0.5 * (both[: x.size] + both[x.size :]).reshape(x.shape)


# The final numbers (src/deviation.rs, src/modulus.rs, src/analysis.rs).


def error_seed(level):
    """Return the seed of the random shifts of the error of `level`."""
    return 0x5EED_0000 + level


def modulus_seed(level, index):
    """Return the seed of the point rotation of modulus shift `index`."""
    return 0x0E6A_0000 + level * SHIFTS_PER_SCALE + index


def level_error(weights, tables, d, n, level):
    """Estimate ‖f − Φ_level‖_2 and its standard error from 8 × 8192 points."""
    shifts = qmc_shifts(error_seed(level), ERROR_SHIFTS)
    shift = tuple(
        np.array([s[axis] for s in shifts])[:, np.newaxis] for axis in range(2)
    )
    x, y = qmc_coordinates(d, shift, FINAL_ERROR_POINTS, (0.0, 0.0), (1.0, 1.0))
    deviation = f_values(weights, x, y) - readout_values(
        weights, tables, d, n, level, x, y
    )
    sums = np.sum(deviation * deviation, axis=1)
    means = [float(total) / float(FINAL_ERROR_POINTS) for total in sums]
    integral, integral_standard_error = combine(means)
    integral = max(integral, 0.0)
    error = math.sqrt(integral)
    standard_error = (
        error / integral * integral_standard_error / 2.0 if integral > 0.0 else 0.0
    )
    return error, standard_error


def shift_set(d, t):
    """Return the 64 sampled shifts of scale t as an array of shape (64, 2)."""
    if d == 1:
        return np.array(
            [
                [t * float(j) / float(SHIFTS_PER_SCALE), 0.0]
                for j in range(1, SHIFTS_PER_SCALE + 1)
            ]
        )
    shifts = []
    for radius in (1.0, 0.75, 0.5, 0.25):
        for k in range(16):
            if k == 0:
                sin, cos = 0.0, 1.0
            elif k == 8:
                sin, cos = 1.0, 0.0
            else:
                angle = math.pi * float(k) / 16.0
                sin, cos = math.sin(angle), math.cos(angle)
            shifts.append([radius * t * cos, radius * t * sin])
    return np.array(shifts)


def level_omega(weights, d, n, level):
    """Estimate max over the 64 shifts h of ‖f(· + h) − f‖_{L^2(Ω_h)}."""
    t = 1.0 / float(n**level)
    h = shift_set(d, t)
    lo = np.maximum(-h, 0.0)
    hi = np.minimum(1.0 - h, 1.0)
    volume = hi[:, 0] - lo[:, 0]
    if d == 2:
        volume = volume * (hi[:, 1] - lo[:, 1])

    rotations = np.array(
        [qmc_shifts(modulus_seed(level, j), 1)[0] for j in range(SHIFTS_PER_SCALE)]
    )
    column = (lambda a: a[:, 0:1], lambda a: a[:, 1:2])
    shift = tuple(column[axis](rotations) for axis in range(2))
    box_lo = tuple(column[axis](lo) for axis in range(2))
    box_hi = tuple(column[axis](hi) for axis in range(2))
    x, y = qmc_coordinates(d, shift, FINAL_OMEGA_POINTS, box_lo, box_hi)
    moved_x = x + h[:, 0:1]
    moved_y = None if d == 1 else y + h[:, 1:2]

    if d == 1:
        both = f_values(weights, np.concatenate((x, moved_x)), None)
    else:
        both = f_values(
            weights, np.concatenate((x, moved_x)), np.concatenate((y, moved_y))
        )
    difference = both[SHIFTS_PER_SCALE:] - both[:SHIFTS_PER_SCALE]
    sums = np.sum(difference * difference, axis=1)
    integrals = volume * sums / float(FINAL_OMEGA_POINTS)
    integrals[volume <= 0.0] = 0.0
    return float(np.max(np.sqrt(np.maximum(integrals, 0.0))))


def compute_rows(d, n, depth, alpha=0.5):
    """Compute the final rows of the weierstrass state with p = 2.

    Returns one dict per level with `level`, `error`,
    `error_standard_error`, `omega_sampled` and `omega`.
    """
    weights = weierstrass_weights(alpha)
    tables = draft_tables(weights, d, n, depth)
    rows = []
    for level in range(1, depth + 1):
        error, standard_error = level_error(weights, tables, d, n, level)
        rows.append(
            {
                "level": level,
                "error": error,
                "error_standard_error": standard_error,
                "omega_sampled": level_omega(weights, d, n, level),
            }
        )
    running = 0.0
    for row in reversed(rows):
        running = max(running, row["omega_sampled"])
        row["omega"] = running
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--d", type=int, choices=(1, 2), default=1, help="dimension (default 1)"
    )
    parser.add_argument("--n", type=int, default=4, help="grid base N (default 4)")
    parser.add_argument(
        "--depth", type=int, default=10, help="number of levels L (default 10)"
    )
    parser.add_argument(
        "--alpha", type=float, default=0.5, help="smoothness exponent α (default 0.5)"
    )
    arguments = parser.parse_args()
    rows = compute_rows(arguments.d, arguments.n, arguments.depth, arguments.alpha)
    print(json.dumps({"rows": rows}, indent=2))


if __name__ == "__main__":
    main()
