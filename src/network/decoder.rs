//! The decoder stand-in: per level, a table from each cell's code to that
//! cell's correction.
//!
//! A literal decoder sin(w_ℓ·u_ℓ + φ_ℓ) needs frequencies that grow very
//! fast with the number of cells (see `literal`). So the forward pass
//! replaces it by a table keyed by the encoder output u_ℓ that the forward
//! pass produced, never by a cell index computed from x. The table of level
//! ℓ maps the code sin(k + 1) of every cell k to the cell's correction
//! ψ_ℓ = E_ℓ f − E_{ℓ−1} f. A code that is not in the table, which happens
//! inside strips, takes the value of the nearest stored code and counts as
//! a miss.
//!
//! ψ_ℓ is stored relative to the readout that the network itself computes
//! for the parent cell, fl(E_ℓ f − Φ_{ℓ−1}), which equals E_ℓ f − E_{ℓ−1} f
//! up to rounding and keeps rounding from building up over the levels: the
//! network's Φ_ℓ = fl(Φ_{ℓ−1} + ψ_ℓ) is within a few units in the last
//! place of E_ℓ f.

use crate::grid::{Grid, Point};
use crate::readout::Readouts;
use crate::sampler::Sampler;

use super::NetworkSpec;

/// Computes the code sin(index + 1) of the cell with flat index `index`,
/// by `libm::sin` so that the forward pass and the table agree bit for bit.
pub fn cell_code(index: u64) -> f64 {
    libm::sin(index as f64 + 1.0)
}

/// Result of one table lookup.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Lookup {
    /// The stored correction of the matching (or nearest) code.
    pub value: f64,
    /// Whether the code was found exactly.
    pub hit: bool,
}

/// The table of one level: codes in increasing order and their corrections.
#[derive(Clone, Debug, PartialEq)]
pub struct DecoderTable {
    level: u32,
    codes: Vec<f64>,
    values: Vec<f64>,
}

impl DecoderTable {
    /// Level ℓ of the table.
    pub fn level(&self) -> u32 {
        self.level
    }

    /// Number of entries, N^{dℓ}.
    pub fn len(&self) -> usize {
        self.codes.len()
    }

    /// Whether the table has no entries (never for a built table).
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    /// The stored codes, in increasing order.
    pub fn codes(&self) -> &[f64] {
        &self.codes
    }

    /// The corrections, in the order of `codes`.
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// Finds `code` (see `position`); a code that is not stored takes the
    /// value of the nearest stored code (the lower one on a tie). NaN
    /// counts as a miss and takes the value of the smallest code.
    pub fn lookup(&self, code: f64) -> Lookup {
        let position = self.position(code);
        if position < self.codes.len() && self.codes[position] == code {
            return Lookup {
                value: self.values[position],
                hit: true,
            };
        }
        let nearest = match (position.checked_sub(1), self.codes.get(position)) {
            (Some(below), Some(above)) if above - code < code - self.codes[below] => position,
            (Some(below), _) => below,
            (None, _) => 0,
        };
        Lookup {
            value: self.values.get(nearest).copied().unwrap_or(0.0),
            hit: false,
        }
    }
}

impl DecoderTable {
    /// Returns the index of the first stored code that is not below `code`
    /// (`len()` when all are), as `partition_point(|stored| *stored < code)`
    /// would, with fewer probes of a large table.
    ///
    /// The codes sin(k + 1), k = 0..M−1, are spread over [−1, 1] like the
    /// arcsine distribution, so about M·(1/2 + asin(u)/π) of them lie below
    /// u. The search starts at that guess, doubles its step until it has
    /// bracketed the index, and finishes with a binary search in the
    /// bracket. Any guess gives the same index, because the predicate is
    /// monotone; a good one only saves probes.
    pub fn position(&self, code: f64) -> usize {
        let len = self.codes.len();
        if len == 0 || code.is_nan() {
            return self.codes.partition_point(|stored| *stored < code);
        }
        let fraction = 0.5 + libm::asin(code.clamp(-1.0, 1.0)) / std::f64::consts::PI;
        let guess = ((fraction * len as f64) as usize).min(len - 1);
        let below = |index: usize| self.codes[index] < code;

        let (low, high) = if below(guess) {
            // Every index up to `guess` is below: search to the right.
            let mut low = guess + 1;
            let mut step = 1;
            let high = loop {
                let probe = guess + step;
                if probe >= len {
                    break len;
                }
                if !below(probe) {
                    break probe;
                }
                low = probe + 1;
                step *= 2;
            };
            (low, high)
        } else {
            // No index from `guess` on is below: search to the left.
            let mut high = guess;
            let mut step = 1;
            let low = loop {
                if step > guess {
                    break 0;
                }
                let probe = guess - step;
                if below(probe) {
                    break probe + 1;
                }
                high = probe;
                step *= 2;
            };
            (low, high)
        };
        low + self.codes[low..high].partition_point(|stored| *stored < code)
    }
}

/// The tables of levels 1..=L.
#[derive(Clone, Debug, PartialEq)]
pub struct Decoder {
    tables: Vec<DecoderTable>,
    collisions: u64,
}

impl Decoder {
    /// Number of levels with a table.
    pub fn depth(&self) -> u32 {
        self.tables.len() as u32
    }

    /// The table of `level` (1-based).
    pub fn table(&self, level: u32) -> Option<&DecoderTable> {
        let index = (level as usize).checked_sub(1)?;
        self.tables.get(index)
    }

    /// Looks `code` up in the table of `level`; a level without a table
    /// gives a miss with value 0.
    pub fn lookup(&self, level: u32, code: f64) -> Lookup {
        match self.table(level) {
            Some(table) => table.lookup(code),
            None => Lookup {
                value: 0.0,
                hit: false,
            },
        }
    }

    /// Finds the stored correction of the cell with flat index `index` at
    /// `level` by its code. Returns `None` if the code is not stored.
    pub fn correction(&self, level: u32, index: u64) -> Option<f64> {
        let lookup = self.lookup(level, cell_code(index));
        lookup.hit.then_some(lookup.value)
    }

    /// Entries over all tables.
    pub fn entries(&self) -> u64 {
        self.tables.iter().map(|table| table.len() as u64).sum()
    }

    /// Pairs of equal codes found while sorting. Codes sin(k + 1) of
    /// distinct k are distinct reals, and the tests check that the doubles
    /// sin(1), …, sin(2^20) are distinct too, so this is 0 under the cap.
    pub fn collisions(&self) -> u64 {
        self.collisions
    }
}

/// Builds the decoder tables level by level, in bounded steps.
#[derive(Clone, Debug)]
pub struct DecoderBuilder {
    d: usize,
    n: u32,
    depth: u32,
    level: u32,
    grid: Option<Grid>,
    next_cell: u64,
    entries: Vec<(f64, f64)>,
    parent_readouts: Vec<f64>,
    readouts: Vec<f64>,
    tables: Vec<DecoderTable>,
    collisions: u64,
    /// Entries of the current level before this index form sorted runs of
    /// `SORTED_RUN` entries.
    sorted_upto: usize,
    /// The merge of the current level's runs, once all its cells are in.
    merge: Option<Merge>,
}

/// Cells whose means are requested from `Readouts` at once.
const MEAN_CHUNK: usize = 256;

/// Entries sorted at once as a level fills. The runs are then merged in
/// bounded steps, so that no step sorts a whole table of up to 2^20
/// entries.
const SORTED_RUN: usize = 256;

/// Entries merged per cell of a step's `max_cells`, because merging one
/// entry costs much less than computing one cell's mean.
const MERGED_PER_CELL: u64 = 64;

/// A bottom-up merge of sorted runs, resumable after any entry.
#[derive(Clone, Debug)]
struct Merge {
    /// Length of the sorted runs being merged in pairs.
    width: usize,
    /// First entry of the current pair of runs.
    start: usize,
    /// Next entry of the pair's first run.
    left: usize,
    /// Next entry of the pair's second run.
    right: usize,
    /// Next position written in `buffer`.
    out: usize,
    /// Output of the current pass, as long as the entries.
    buffer: Vec<(f64, f64)>,
}

impl Merge {
    fn new(len: usize) -> Merge {
        Merge {
            width: SORTED_RUN,
            start: 0,
            left: 0,
            right: SORTED_RUN.min(len),
            out: 0,
            buffer: vec![(0.0, 0.0); len],
        }
    }

    /// Merges up to `budget` entries of `entries` (at least one unless
    /// they are sorted already) and returns how many it merged and whether
    /// `entries` is now sorted. A finished pass swaps `entries` and the
    /// buffer and doubles the run width.
    fn advance(&mut self, entries: &mut Vec<(f64, f64)>, budget: u64) -> (u64, bool) {
        let len = entries.len();
        let mut merged = 0;
        while self.width < len {
            if merged >= budget {
                return (merged, false);
            }
            let middle = (self.start + self.width).min(len);
            let end = (self.start + 2 * self.width).min(len);
            let take_left = self.left < middle
                && (self.right >= end
                    || entries[self.left]
                        .0
                        .total_cmp(&entries[self.right].0)
                        .is_le());
            if take_left {
                self.buffer[self.out] = entries[self.left];
                self.left += 1;
            } else {
                self.buffer[self.out] = entries[self.right];
                self.right += 1;
            }
            self.out += 1;
            merged += 1;
            if self.out == end {
                self.start = end;
                if self.start >= len {
                    std::mem::swap(entries, &mut self.buffer);
                    self.width *= 2;
                    self.start = 0;
                }
                self.left = self.start;
                self.right = (self.start + self.width).min(len);
                self.out = self.start;
            }
        }
        (merged, true)
    }
}

impl DecoderBuilder {
    /// Starts the tables for the levels of `spec`, where Φ_0 = `constant`.
    pub fn new(spec: &NetworkSpec, constant: f64) -> DecoderBuilder {
        let mut builder = DecoderBuilder {
            d: spec.dim(),
            n: spec.base(),
            depth: spec.depth(),
            level: 0,
            grid: None,
            next_cell: 0,
            entries: Vec::new(),
            parent_readouts: vec![constant],
            readouts: Vec::new(),
            tables: Vec::new(),
            collisions: 0,
            sorted_upto: 0,
            merge: None,
        };
        builder.start_level(1);
        builder
    }

    /// Whether every table is built.
    pub fn is_done(&self) -> bool {
        self.grid.is_none()
    }

    /// Entries stored so far, the finished tables and the current level's.
    pub fn entries(&self) -> u64 {
        let finished: u64 = self.tables.iter().map(|table| table.len() as u64).sum();
        finished + self.entries.len() as u64
    }

    /// Does up to about `max_cells` cells of work (at least one unit). It
    /// adds cells and sorts them in runs of `SORTED_RUN`. Once a level is
    /// full, it merges the runs, `MERGED_PER_CELL` entries per cell of work,
    /// and finishes the level's table. Cell means come from the tables of `readouts`
    /// where it has them and from `Readouts::values` at the cell centres
    /// elsewhere, which evaluates f through `sampler` unless the target has
    /// closed-form means. Returns the work done, in cells.
    pub fn step(&mut self, sampler: &Sampler, readouts: &Readouts, max_cells: u64) -> u64 {
        let mut added = 0;
        let mut centres: Vec<Point> = Vec::with_capacity(MEAN_CHUNK);
        let mut means = vec![0.0; MEAN_CHUNK];
        while let Some(grid) = self.grid {
            if let Some(merge) = self.merge.as_mut() {
                let budget = max_cells
                    .saturating_sub(added)
                    .max(1)
                    .saturating_mul(MERGED_PER_CELL);
                let (merged, sorted) = merge.advance(&mut self.entries, budget);
                added += merged.div_ceil(MERGED_PER_CELL).max(1);
                if sorted {
                    self.merge = None;
                    self.finish_level();
                }
                if added >= max_cells {
                    break;
                }
                continue;
            }

            let count = grid.cell_count() as u64;
            let budget = max_cells.saturating_sub(added).max(1);
            let end = count
                .min(self.next_cell + MEAN_CHUNK as u64)
                .min(self.next_cell + budget);
            let chunk = (end - self.next_cell) as usize;

            let level = grid.level();
            match readouts.table(level) {
                Some(table) => {
                    let start = self.next_cell as usize;
                    means[..chunk].copy_from_slice(&table[start..start + chunk]);
                }
                None => {
                    centres.clear();
                    for index in self.next_cell..end {
                        let (lo, hi) = grid.cell_box(grid.cell_at(index as usize));
                        centres.push([0.5 * (lo[0] + hi[0]), 0.5 * (lo[1] + hi[1])]);
                    }
                    readouts.values(sampler, level, &centres, &mut means[..chunk]);
                }
            }
            for (offset, mean) in means[..chunk].iter().enumerate() {
                self.add_cell(&grid, self.next_cell + offset as u64, *mean);
            }
            self.next_cell = end;
            added += chunk as u64;
            while self.sorted_upto + SORTED_RUN <= self.entries.len() {
                let run = self.sorted_upto..self.sorted_upto + SORTED_RUN;
                self.entries[run].sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
                self.sorted_upto += SORTED_RUN;
            }

            if self.next_cell == count {
                let tail = self.sorted_upto..self.entries.len();
                self.entries[tail].sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
                self.sorted_upto = self.entries.len();
                if self.entries.len() <= SORTED_RUN {
                    self.finish_level();
                } else {
                    self.merge = Some(Merge::new(self.entries.len()));
                }
            }
            if added >= max_cells {
                break;
            }
        }
        added
    }

    /// Builds every remaining table.
    pub fn build(mut self, sampler: &Sampler, readouts: &Readouts) -> Decoder {
        while !self.is_done() {
            self.step(sampler, readouts, u64::MAX);
        }
        self.finish()
    }

    /// The finished decoder, or `None` while tables are missing.
    pub fn into_decoder(self) -> Option<Decoder> {
        self.is_done().then(|| self.finish())
    }

    fn finish(self) -> Decoder {
        Decoder {
            tables: self.tables,
            collisions: self.collisions,
        }
    }

    fn start_level(&mut self, level: u32) {
        self.level = level;
        self.next_cell = 0;
        self.sorted_upto = 0;
        self.grid = if level <= self.depth {
            Grid::new(self.d, self.n, level).ok()
        } else {
            None
        };
        if let Some(grid) = self.grid {
            let count = grid.cell_count() as usize;
            self.entries = Vec::with_capacity(count);
            self.readouts = Vec::with_capacity(count);
        }
    }

    /// Stores the code and correction of cell `index` with mean `mean`, and
    /// the network's readout Φ_ℓ = fl(Φ_{ℓ−1} + ψ_ℓ) on it.
    fn add_cell(&mut self, grid: &Grid, index: u64, mean: f64) {
        let n = u64::from(self.n);
        let cell = grid.cell_at(index as usize);
        let parent = match grid.parent() {
            Some(parent) => parent.flat_index([cell[0] / n, cell[1] / n]),
            None => 0,
        };
        let parent_readout = self.parent_readouts[parent];
        let correction = mean - parent_readout;
        self.entries.push((cell_code(index), correction));
        self.readouts.push(parent_readout + correction);
    }

    /// Stores the current level's table from its entries, which are sorted
    /// by code by now, and starts the next level.
    fn finish_level(&mut self) {
        let entries = std::mem::take(&mut self.entries);
        self.collisions += entries
            .windows(2)
            .filter(|pair| pair[0].0 == pair[1].0)
            .count() as u64;
        let (codes, values) = entries.into_iter().unzip();
        self.tables.push(DecoderTable {
            level: self.level,
            codes,
            values,
        });
        self.parent_readouts = std::mem::take(&mut self.readouts);
        self.start_level(self.level + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> DecoderTable {
        DecoderTable {
            level: 1,
            codes: vec![-0.5, 0.0, 0.25, 0.75],
            values: vec![1.0, 2.0, 3.0, 4.0],
        }
    }

    #[test]
    fn lookup_exact_codes_hit() {
        let table = table();
        for (code, value) in table.codes.clone().into_iter().zip(table.values.clone()) {
            assert_eq!(table.lookup(code), Lookup { value, hit: true });
        }
    }

    #[test]
    fn merge_sorts_in_bounded_steps() {
        for len in [257usize, 300, 512, 1000, 4096, 5000] {
            // Sorted runs of `SORTED_RUN` codes, as `step` leaves them.
            let mut entries: Vec<(f64, f64)> =
                (0..len as u64).map(|k| (cell_code(k), k as f64)).collect();
            for run in entries.chunks_mut(SORTED_RUN) {
                run.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
            }
            let mut expected = entries.clone();
            expected.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));

            let mut merge = Merge::new(len);
            let mut calls = 0;
            loop {
                let (merged, sorted) = merge.advance(&mut entries, 100);
                assert!(merged <= 100, "len {len}: merged {merged}");
                calls += 1;
                if sorted {
                    break;
                }
                assert!(merged > 0, "len {len}: no progress");
            }
            assert!(calls > 1, "len {len}: merged in one call");
            assert_eq!(entries, expected, "len {len}");
        }
    }

    #[test]
    fn position_matches_binary_search() {
        for count in [1u64, 2, 3, 10, 1000, 40_000] {
            let mut codes: Vec<f64> = (0..count).map(cell_code).collect();
            codes.sort_unstable_by(f64::total_cmp);
            let values = vec![0.0; codes.len()];
            let table = DecoderTable {
                level: 1,
                codes: codes.clone(),
                values,
            };
            // The doubles one unit in the last place away on either side.
            let neighbours = |value: f64| {
                let bits = value.to_bits();
                [f64::from_bits(bits + 1), f64::from_bits(bits - 1)]
            };
            let mut probes: Vec<f64> = codes.clone();
            for k in 0..2000 {
                let u = -1.2 + 2.4 * k as f64 / 1999.0;
                probes.push(u);
                probes.extend(neighbours(u));
            }
            for code in &codes {
                probes.extend(neighbours(*code));
            }
            probes.extend([-1.0, 1.0, -0.0, f64::INFINITY, f64::NEG_INFINITY, f64::NAN]);
            for probe in probes {
                let expected = codes.partition_point(|stored| *stored < probe);
                assert_eq!(
                    table.position(probe),
                    expected,
                    "count {count}, code {probe}"
                );
            }
        }
    }

    #[test]
    fn lookup_other_codes_take_nearest() {
        let table = table();
        let cases = [
            (-2.0, 1.0),
            (-0.3, 1.0),
            (-0.2, 2.0),
            (0.125, 2.0),
            (0.2, 3.0),
            (0.6, 4.0),
            (5.0, 4.0),
        ];
        for (code, value) in cases {
            let lookup = table.lookup(code);
            assert_eq!(lookup.value, value, "code {code}");
            assert!(!lookup.hit, "code {code}");
        }
        assert!(!table.lookup(f64::NAN).hit);
    }
}
