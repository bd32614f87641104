//! The drawing data of `layerwise::picture`: the work budget of a picture
//! over the most expensive states a link can reach, the fields it holds,
//! colour maps, rasters, ticks and the error chart.

use layerwise::analysis::{Analysis, LevelRow, Method};
use layerwise::codec::decode_fragment;
use layerwise::grid::Grid;
use layerwise::picture::budget::{
    full_samples, plan_within, Capabilities, MAX_SAMPLES_1D, MAX_SAMPLES_2D,
};
use layerwise::picture::colormap::{ColorMap, NON_FINITE_COLOURS};
use layerwise::picture::curve::{decimate, field_runs, sample_runs};
use layerwise::picture::errors::{
    certified_depth, error_chart, estimated_depth, ChartPoint, Placement,
};
use layerwise::picture::raster::{colorize, evaluate, Operand, Shade};
use layerwise::picture::scale::{decade_ticks, format_tick, nice_ticks, ValueRange};
use layerwise::picture::{Field, Picture, Samples, Source, PICTURE_BUDGET};
use layerwise::state::MAX_EXPR_CHARS;

/// Builds a custom expression of about `MAX_EXPR_CHARS` characters: a long sum of
/// transcendental terms, the most expensive kind of target to evaluate.
fn long_expression(d: usize) -> String {
    let term = if d == 1 {
        "sin(3*x)*exp(x)+"
    } else {
        "sin(3*x)*cos(2*y)+"
    };
    let mut text = String::new();
    while text.len() + term.len() < MAX_EXPR_CHARS {
        text.push_str(term);
    }
    text.push('x');
    text
}

fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'.' | b'-' | b'_' => {
                (byte as char).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

/// Lists, as fragments, the costliest states a link can carry.
fn worst_fragments() -> Vec<String> {
    let mut fragments = vec![
        "v=1&d=2&n=16&depth=8&target=cone".to_string(),
        "v=1&d=2&n=16&depth=8&target=weierstrass&alpha=0.05".to_string(),
        "v=1&d=2&n=3&depth=8&target=cusp&alpha=0.3".to_string(),
        "v=1&d=1&n=2&depth=12&target=jump".to_string(),
        "v=1&d=1&n=16&depth=10&target=weierstrass".to_string(),
    ];
    for d in [1, 2] {
        let depth = if d == 1 { 12 } else { 8 };
        let expression = percent_encode(&long_expression(d));
        fragments.push(format!(
            "v=1&d={d}&n=16&depth={depth}&target=custom&expr={expression}"
        ));
        fragments.push(format!(
            "v=1&d={d}&n=3&depth={depth}&target=custom&expr={expression}"
        ));
    }
    fragments
}

#[test]
fn picture_work_within_budget_for_worst_states() {
    for fragment in worst_fragments() {
        let decoded = decode_fragment(&fragment);
        let analysis = Analysis::new(&decoded.state).expect("the state builds a target");
        let unit = analysis.sampler().target().cost();

        let picture = Picture::build(&analysis);

        let prefix = &fragment[..fragment.len().min(60)];
        assert!(
            picture.plan.work() <= PICTURE_BUDGET,
            "{prefix}: planned work {}",
            picture.plan.work()
        );
        assert!(
            picture.evaluations * unit <= PICTURE_BUDGET,
            "{prefix}: {} evaluations at unit cost {unit}",
            picture.evaluations
        );
        assert!(
            picture.work <= PICTURE_BUDGET,
            "{prefix}: work {}",
            picture.work
        );
        assert_eq!(picture.levels.len(), decoded.state.depth as usize);
    }
}

#[test]
fn long_expression_is_accepted() {
    let fragment = format!(
        "v=1&d=2&target=custom&expr={}",
        percent_encode(&long_expression(2))
    );
    let decoded = decode_fragment(&fragment);
    assert!(decoded.notices.is_empty(), "{:?}", decoded.notices);
    let analysis = Analysis::new(&decoded.state).expect("the expression parses");
    assert!(analysis.sampler().target().cost() > 20);
}

#[test]
fn expensive_expression_lowers_resolution() {
    let fragment = format!(
        "v=1&d=2&n=3&depth=6&target=custom&expr={}",
        percent_encode(&long_expression(2))
    );
    let analysis = Analysis::new(&decode_fragment(&fragment).state).unwrap();
    let picture = Picture::build(&analysis);
    assert!(picture.f_reduced(), "plan {:?}", picture.plan);
    assert!(picture.plan.f_samples < full_samples(2, 3));
}

#[test]
fn default_2d_state_is_drawn_at_full_resolution() {
    let state = decode_fragment("v=1&d=2&n=3&depth=6&target=weierstrass").state;
    let analysis = Analysis::new(&state).unwrap();
    let picture = Picture::build(&analysis);

    assert_eq!(picture.plan.f_samples, 243);
    assert!(!picture.f_reduced());
    for level in 1..=6 {
        assert!(!picture.level_reduced(level), "level {level}");
        assert!(picture.level(level).is_some(), "level {level}");
    }
    // Levels 1..=5 have at most 243 cells per axis: exact cell means.
    for level in 1..=5 {
        let field = picture.level(level).unwrap();
        assert!(matches!(field, Field::Cells { .. }), "level {level}");
    }
}

#[test]
fn plan_never_exceeds_budget() {
    for d in [1, 2] {
        for n in [2, 3, 7, 16] {
            for unit_cost in [1, 5, 40, 125, 1000, 100_000] {
                for closed_form_means in [false, true] {
                    let depth = if d == 1 { 12 } else { 8 };
                    let capabilities = Capabilities {
                        d,
                        n,
                        depth,
                        unit_cost,
                        closed_form_means,
                        grid_means: false,
                        tabulated: vec![false; depth as usize],
                    };
                    for budget in [0, 10_000, PICTURE_BUDGET] {
                        let plan = plan_within(&capabilities, budget);
                        assert!(
                            plan.work() <= budget,
                            "d={d} n={n} unit={unit_cost} budget={budget}: {}",
                            plan.work()
                        );
                        assert_eq!(plan.levels.len(), depth as usize);
                    }
                }
            }
        }
    }
}

#[test]
fn plan_uses_tables_for_free() {
    let capabilities = Capabilities {
        d: 1,
        n: 3,
        depth: 5,
        unit_cost: 1,
        closed_form_means: false,
        grid_means: false,
        tabulated: vec![true; 5],
    };
    let plan = plan_within(&capabilities, PICTURE_BUDGET);
    for level in &plan.levels {
        assert_eq!(level.source, Source::Table);
        assert_eq!(level.work, 0);
        assert!(!level.reduced);
    }
    assert_eq!(plan.f_samples, 729);
    assert_eq!(plan.work(), 729);
}

#[test]
fn full_samples_align_with_cells() {
    assert_eq!(full_samples(2, 3), 243);
    assert_eq!(full_samples(2, 2), 256);
    assert_eq!(full_samples(2, 7), 245);
    assert_eq!(full_samples(1, 4), 1024);
    assert_eq!(full_samples(1, 3), 729);
    for n in 2..=16 {
        assert!(full_samples(1, n) <= MAX_SAMPLES_1D);
        assert!(full_samples(2, n) <= MAX_SAMPLES_2D);
        assert!(full_samples(2, n) >= MAX_SAMPLES_2D / 2, "n={n}");
    }
}

#[test]
fn cell_field_lookup_uses_half_open_cells() {
    let grid = Grid::new(1, 3, 1).unwrap();
    let field = Field::Cells {
        grid,
        means: vec![1.0, 2.0, 3.0],
    };
    assert_eq!(field.value_at([0.0, 0.0]), 1.0);
    assert_eq!(field.value_at([1.0 / 3.0, 0.0]), 2.0);
    assert_eq!(field.value_at([0.999, 0.0]), 3.0);
    assert_eq!(field.value_at([1.0, 0.0]), 3.0);
}

#[test]
fn samples_lookup_in_2d() {
    let samples = Samples::new(2, 2, vec![1.0, 2.0, 3.0, 4.0]).unwrap();
    let field = Field::Samples(samples);
    assert_eq!(field.value_at([0.1, 0.1]), 1.0);
    assert_eq!(field.value_at([0.9, 0.1]), 2.0);
    assert_eq!(field.value_at([0.1, 0.9]), 3.0);
    assert_eq!(field.value_at([0.9, 0.9]), 4.0);
    assert!(Samples::new(2, 2, vec![1.0; 3]).is_none());
}

#[test]
fn raster_top_row_is_high_y() {
    let samples = Samples::new(2, 2, vec![1.0, 2.0, 3.0, 4.0]).unwrap();
    let field = Field::Samples(samples);
    let values = evaluate(Shade::Value(Operand::Field(&field)), 4, 2);
    assert_eq!(values, vec![3.0, 3.0, 4.0, 4.0, 1.0, 1.0, 2.0, 2.0]);

    let residual = evaluate(
        Shade::Difference(Operand::Field(&field), Operand::Constant(1.0)),
        2,
        2,
    );
    assert_eq!(residual, vec![2.0, 3.0, 0.0, 1.0]);
}

#[test]
fn colorize_marks_non_finite_with_hatch() {
    let map = ColorMap::viridis();
    let range = ValueRange {
        lo: 0.0,
        hi: 1.0,
        clipped: false,
    };
    let bytes = colorize(&[0.0, 1.0, f64::NAN], 3, &map, &range);
    assert_eq!(bytes.len(), 12);
    assert_eq!(&bytes[0..4], &[0x44, 0x01, 0x54, 255]);
    assert_eq!(&bytes[4..8], &[0xfd, 0xe7, 0x25, 255]);
    let grey = [bytes[8], bytes[9], bytes[10]];
    assert!(NON_FINITE_COLOURS.contains(&grey), "{grey:?}");
}

#[test]
fn diverging_map_is_white_at_centre() {
    let map = ColorMap::diverging();
    let [r, g, b] = map.at(0.5);
    assert!(r > 240, "red {r}");
    assert!(g > 240, "green {g}");
    assert!(b > 240, "blue {b}");
    let [r, _, b] = map.at(0.0);
    assert!(b > r, "low end is blue");
    let [r, _, b] = map.at(1.0);
    assert!(r > b, "high end is red");
}

#[test]
fn value_range_cuts_pole_outliers() {
    let mut values: Vec<f64> = (0..1000).map(|i| f64::from(i) / 1000.0).collect();
    values.push(1e9);
    values.push(f64::NAN);
    let range = ValueRange::of_values(&values);
    assert!(range.clipped);
    assert!(range.hi < 2.0, "{range:?}");

    let plain = ValueRange::of_values(&[0.0, 0.5, 1.0]);
    assert!(!plain.clipped);
    assert_eq!((plain.lo, plain.hi), (0.0, 1.0));

    let constant = ValueRange::of_values(&[2.0, 2.0]);
    assert!(constant.hi > constant.lo);

    let empty = ValueRange::of_values(&[f64::NAN]);
    assert!(empty.hi > empty.lo);
}

#[test]
fn symmetric_range_is_centred() {
    let range = ValueRange::symmetric(&[-0.2, 0.1, f64::INFINITY]);
    assert_eq!((range.lo, range.hi), (-0.2, 0.2));
    let zero = ValueRange::symmetric(&[0.0, 0.0]);
    assert!(zero.hi > 0.0);
}

#[test]
fn nice_ticks_use_round_steps() {
    let (ticks, step) = nice_ticks(0.0, 1.0, 6);
    assert_eq!(step, 0.2);
    assert_eq!(ticks.len(), 6);
    let (ticks, step) = nice_ticks(-0.37, 0.81, 5);
    assert_eq!(step, 0.5);
    assert_eq!(ticks, vec![0.0, 0.5]);
    let (ticks, step) = nice_ticks(-0.486, 0.486, 5);
    assert_eq!(step, 0.2);
    assert_eq!(ticks.len(), 5);
    assert_eq!(format_tick(0.2, 0.2), "0.2");
    assert_eq!(format_tick(0.75, 0.25), "0.75");
    assert_eq!(format_tick(-3.0, 1.0), "-3");
    assert_eq!(format_tick(2e-5, 1e-5), "2e-5");
    assert_eq!(format_tick(-0.0, 0.1), "0");
}

#[test]
fn decade_ticks_thin_out() {
    assert_eq!(decade_ticks(-3.2, 0.5, 10), vec![-3, -2, -1, 0]);
    let many = decade_ticks(-16.0, 0.0, 5);
    assert!(many.len() <= 5, "{many:?}");
    assert!(many.contains(&0));
}

#[test]
fn step_curve_is_exact_for_wide_cells() {
    let grid = Grid::new(1, 2, 1).unwrap();
    let field = Field::Cells {
        grid,
        means: vec![1.0, f64::NAN],
    };
    let runs = field_runs(&field, 100);
    assert_eq!(runs, vec![vec![(0.0, 1.0), (0.5, 1.0)]]);

    let runs = sample_runs(&[0.1, 0.2, 0.3], &[1.0, f64::NAN, 3.0]);
    assert_eq!(runs.len(), 2);
}

#[test]
fn decimate_keeps_column_extremes() {
    let xs: Vec<f64> = (0..1000).map(|i| (f64::from(i) + 0.5) / 1000.0).collect();
    let values: Vec<f64> = (0..1000).map(|i| f64::from(i % 7)).collect();
    let runs = decimate(sample_runs(&xs, &values), 10);

    assert_eq!(runs.len(), 1);
    assert!(runs[0].len() <= 20, "{} points", runs[0].len());
    let highest = runs[0].iter().map(|p| p.1).fold(f64::MIN, f64::max);
    let lowest = runs[0].iter().map(|p| p.1).fold(f64::MAX, f64::min);
    assert_eq!(highest, 6.0);
    assert_eq!(lowest, 0.0);
    let short = decimate(vec![vec![(0.1, 1.0), (0.2, 2.0)]], 10);
    assert_eq!(short, vec![vec![(0.1, 1.0), (0.2, 2.0)]]);
}

fn row(level: u32, error: f64, bound: f64, method: Method) -> LevelRow {
    LevelRow {
        level,
        cells: 3u128.pow(level),
        side: 3f64.powi(-(level as i32)),
        error,
        error_standard_error: if method == Method::MonteCarlo {
            error / 4.0
        } else {
            0.0
        },
        error_method: method,
        omega_sampled: bound / 3.0,
        omega: bound / 3.0,
        bound,
        ratio: if bound > 0.0 { error / bound } else { 0.0 },
        error_at_rounding_level: false,
        majorant: None,
        certified_bound: None,
        reference: 0.1 * 3f64.powi(-(level as i32)),
        error_final: level == 1,
        omega_final: false,
    }
}

#[test]
fn error_chart_holds_zero_at_floor() {
    let rows = vec![
        row(1, 0.1, 0.3, Method::Quadrature),
        row(2, 0.0, 0.1, Method::Quadrature),
        row(3, 0.01, 0.03, Method::MonteCarlo),
    ];
    let chart = error_chart(&rows, 1e-2);

    let zero = chart.measured[1];
    assert_eq!(zero.placement, Placement::Floor);
    assert_eq!(zero.log10, chart.floor_log10);
    assert!(zero.log10.is_finite());
    assert!(chart.floor_log10 < (0.01f64).log10());
    assert!(chart.y_range.0 < chart.floor_log10);

    assert!(chart.measured[0].is_final);
    assert!(!chart.measured[2].is_final);
    assert!(chart.measured[2].band.is_some());
    assert!(chart.measured[0].band.is_none());
    assert!(chart.certified.is_empty());
}

/// Checks that `point` sits at the off-scale row, above every finite
/// value and inside the y range, with `placement`.
fn assert_off_scale(point: ChartPoint, placement: Placement, top_finite: f64, y_top: f64) {
    assert_eq!(point.placement, placement, "{point:?}");
    assert!(point.log10 > top_finite, "{point:?} below {top_finite}");
    assert!(point.log10 < y_top, "{point:?} above the y range {y_top}");
}

#[test]
fn error_chart_non_finite_off_scale() {
    // exp(1000*x) at p = 2 gives inf errors, omegas and bounds. A NaN
    // error comes from a sum of ±1e308.
    let mut overflowing = row(2, f64::INFINITY, f64::INFINITY, Method::Quadrature);
    overflowing.certified_bound = Some(f64::INFINITY);
    let rows = vec![
        row(1, 0.1, 0.3, Method::Quadrature),
        overflowing,
        row(3, f64::NAN, 0.03, Method::MonteCarlo),
    ];
    let chart = error_chart(&rows, 1e-2);

    let top_finite = 0.3f64.log10();
    let y_top = chart.y_range.1;
    let row_log10 = chart.off_scale_log10.expect("an off-scale row");
    assert!(row_log10 > top_finite);
    assert_off_scale(chart.measured[1], Placement::Infinite, top_finite, y_top);
    assert_off_scale(chart.measured[2], Placement::NotANumber, top_finite, y_top);
    assert_eq!(
        chart.bound.len(),
        3,
        "an infinite bound is drawn, not left out"
    );
    assert_off_scale(chart.bound[1], Placement::Infinite, top_finite, y_top);
    assert_off_scale(chart.certified[0], Placement::Infinite, top_finite, y_top);
    assert!(chart.measured[2].band.is_none());
    assert_eq!(Placement::Infinite.off_scale_label(), Some("∞"));
    assert_eq!(Placement::NotANumber.off_scale_label(), Some("nan"));

    // With only finite values there is no off-scale row.
    let finite = error_chart(&rows[..1], 1e-2);
    assert_eq!(finite.off_scale_log10, None);
    assert_eq!(finite.measured[0].placement, Placement::Value);
}

#[test]
fn depths_for_requested_accuracy() {
    let state = decode_fragment("v=1&d=1&n=2&depth=8&target=kink&p=2&eps=0.01").state;
    let analysis = Analysis::new(&state).unwrap();
    let target = analysis.sampler().target();

    // Kink is 1-Lipschitz: 3·2^-ℓ ≤ 0.01 first at ℓ = 9.
    assert_eq!(certified_depth(target, 2, 2.0, 0.01), Some(9));
    assert_eq!(
        certified_depth(target, 2, 2.0, 0.01),
        analysis.certified_depth()
    );
    assert_eq!(
        estimated_depth(&analysis.rows(), 0.01),
        analysis.estimated_depth()
    );

    let custom = decode_fragment("v=1&target=custom&expr=x").state;
    let analysis = Analysis::new(&custom).unwrap();
    assert_eq!(
        certified_depth(analysis.sampler().target(), 3, 2.0, 0.01),
        None
    );
}

#[test]
fn non_finite_samples_are_reported() {
    let state = decode_fragment("v=1&d=1&target=custom&expr=1/(x-0.5)/(x-0.5)*0+sqrt(x-0.5)").state;
    let analysis = Analysis::new(&state).unwrap();
    let picture = Picture::build(&analysis);
    let non_finite = picture.non_finite.expect("sqrt is NaN below 0.5");
    assert!(non_finite.count > 0);
    assert!(non_finite.first[0] < 0.5);
    let f = picture.f.as_ref().unwrap();
    assert!(f.values().iter().any(|v| v.is_nan()));
}
