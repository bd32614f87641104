//! Evaluation of valid expressions against hand-computed values and
//! direct calls of `libm`.

use layerwise::expr::Expr;

/// Parses `source` in two dimensions and evaluates it at (x, y).
fn eval_2d(source: &str, x: f64, y: f64) -> f64 {
    match Expr::parse(source, 2) {
        Ok(expr) => expr.eval([x, y]),
        Err(error) => panic!("{source:?} was rejected: {error}"),
    }
}

fn eval_1d(source: &str, x: f64) -> f64 {
    match Expr::parse(source, 1) {
        Ok(expr) => expr.eval([x, f64::NAN]),
        Err(error) => panic!("{source:?} was rejected: {error}"),
    }
}

/// Asserts that two values have the same bits, or are both NaN.
fn assert_same(actual: f64, expected: f64, context: &str) {
    let same = actual.to_bits() == expected.to_bits() || (actual.is_nan() && expected.is_nan());
    assert!(same, "{context}: got {actual:?}, expected {expected:?}");
}

#[test]
fn precedence_of_arithmetic() {
    let cases = [
        ("1 + 2 * 3", 7.0),
        ("(1 + 2) * 3", 9.0),
        ("2 * 3 ^ 2", 18.0),
        ("10 - 4 - 3", 3.0),
        ("48 / 4 / 3", 4.0),
        ("2 ^ 3 ^ 2", 512.0),
        ("(2 ^ 3) ^ 2", 64.0),
        ("-2 ^ 2", -4.0),
        ("(-2) ^ 2", 4.0),
        ("2 ^ -1", 0.5),
        ("2 ^ -1 ^ 2", 0.5),
        ("2^-2^-1", libm::pow(2.0, -0.5)),
        ("-3 * 2", -6.0),
        ("--3", 3.0),
        ("+3", 3.0),
        ("2 * -3", -6.0),
        ("4 - -3", 7.0),
        ("1 + 2 < 4", 1.0),
        ("1 < 2 + 3", 1.0),
        ("3 - 1 == 2", 1.0),
        ("6 / 2 * 3", 9.0),
        ("1 - 2 + 3", 2.0),
        ("1 + 2 ^ 2 * 3", 13.0),
    ];
    for (source, expected) in cases {
        assert_eq!(eval_1d(source, 0.0), expected, "{source}");
    }
}

#[test]
fn precedence_with_variables() {
    let (x, y) = (0.75, -1.25);
    assert_eq!(eval_2d("-x^2", x, y), -(x * x));
    assert_eq!(eval_2d("x - y - 1", x, y), (x - y) - 1.0);
    assert_eq!(eval_2d("x / y / 2", x, y), (x / y) / 2.0);
    assert_eq!(eval_2d("x*y + y*x", x, y), x * y + y * x);
    assert_eq!(eval_2d("x^2 + y^2 <= 1", x, y), 0.0);
    assert_eq!(eval_2d("x^2 + y^2 <= 4", x, y), 1.0);
    assert_same(
        eval_2d("x ^ y ^ 2", x, y),
        libm::pow(x, libm::pow(y, 2.0)),
        "x ^ y ^ 2",
    );
}

#[test]
fn numbers_and_constants() {
    let cases = [
        ("2", 2.0),
        (".5", 0.5),
        ("2.", 2.0),
        ("1e-3", 1e-3),
        ("2.5E+4", 2.5e4),
        ("1e-999", 0.0),
        ("pi", std::f64::consts::PI),
        ("e", std::f64::consts::E),
        ("2*pi", 2.0 * std::f64::consts::PI),
    ];
    for (source, expected) in cases {
        assert_eq!(eval_1d(source, 0.0), expected, "{source}");
    }
}

#[test]
fn whitespace_between_any_tokens() {
    let spaced = eval_1d("\t sin ( x ) *\n2 ^ 3 \u{a0}", 0.5);
    assert_eq!(spaced, libm::sin(0.5) * 8.0);
    assert_eq!(eval_1d("x>=1", 2.0), 1.0);
}

#[test]
fn unary_functions_match_libm() {
    type Reference = fn(f64) -> f64;
    let functions: [(&str, Reference); 19] = [
        ("abs", libm::fabs),
        ("sqrt", f64::sqrt),
        ("exp", libm::exp),
        ("ln", libm::log),
        ("log", libm::log),
        ("sin", libm::sin),
        ("cos", libm::cos),
        ("tan", libm::tan),
        ("floor", libm::floor),
        ("ceil", libm::ceil),
        ("round", libm::round),
        ("atan", libm::atan),
        ("tanh", libm::tanh),
        ("cosh", libm::cosh),
        ("sinh", libm::sinh),
        ("asin", libm::asin),
        ("acos", libm::acos),
        ("sign", |a: f64| {
            if a == 0.0 || a.is_nan() {
                a
            } else {
                a.signum()
            }
        }),
        ("abs", f64::abs),
    ];
    let points = [-2.5, -1.0, -0.3, 0.0, 0.25, 0.5, 0.999, 1.0, 3.7, 1e3];
    for (name, reference) in functions {
        let expr = Expr::parse(&format!("{name}(x)"), 1).unwrap();
        for x in points {
            let context = format!("{name}({x})");
            assert_same(expr.eval([x, 0.0]), reference(x), &context);
        }
    }
}

#[test]
fn functions_at_known_values() {
    assert_eq!(eval_1d("round(2.5)", 0.0), 3.0);
    assert_eq!(eval_1d("round(-2.5)", 0.0), -3.0);
    assert_eq!(eval_1d("floor(-0.5)", 0.0), -1.0);
    assert_eq!(eval_1d("ceil(-0.5)", 0.0), -0.0);
    assert_eq!(eval_1d("sign(-3)", 0.0), -1.0);
    assert_eq!(eval_1d("sign(3)", 0.0), 1.0);
    assert_same(eval_1d("sign(-0)", 0.0), -0.0, "sign(-0)");
    assert_eq!(eval_1d("sqrt(16)", 0.0), 4.0);
    assert_eq!(eval_1d("abs(-x)", 2.0), 2.0);
    assert_eq!(eval_1d("ln(e)", 0.0), 1.0);
    assert_eq!(eval_1d("exp(0)", 0.0), 1.0);
}

#[test]
fn min_max_take_many_arguments() {
    assert_eq!(eval_1d("min(3, 1, 2)", 0.0), 1.0);
    assert_eq!(eval_1d("max(3, 1, 2)", 0.0), 3.0);
    assert_eq!(eval_1d("min(x, 1)", 0.5), 0.5);
    assert_eq!(eval_1d("max(x, 1)", 0.5), 1.0);
    assert_eq!(eval_1d("max(1, 2, 3, 4, 5, 6, 7, x)", 9.0), 9.0);
    assert_same(eval_1d("min(-0, 0)", 0.0), -0.0, "min(-0, 0)");
    assert_same(eval_1d("max(-0, 0)", 0.0), 0.0, "max(-0, 0)");
}

#[test]
fn min_max_propagate_nan() {
    assert!(eval_1d("min(x, 1)", f64::NAN).is_nan());
    assert!(eval_1d("max(1, ln(x))", -1.0).is_nan());
}

#[test]
fn power_uses_libm_pow() {
    for (x, y) in [
        (0.3, 0.7),
        (2.0, 0.5),
        (-8.0, 1.0 / 3.0),
        (0.0, -1.0),
        (1e-3, 2.5),
    ] {
        let context = format!("{x}^{y}");
        assert_same(eval_2d("x^y", x, y), libm::pow(x, y), &context);
    }
}

#[test]
fn comparisons_yield_one_or_zero() {
    let cases = [
        ("x < 0.5", [1.0, 0.0, 0.0]),
        ("x <= 0.5", [1.0, 1.0, 0.0]),
        ("x > 0.5", [0.0, 0.0, 1.0]),
        ("x >= 0.5", [0.0, 1.0, 1.0]),
        ("x == 0.5", [0.0, 1.0, 0.0]),
        ("x != 0.5", [1.0, 0.0, 1.0]),
    ];
    for (source, expected) in cases {
        for (x, value) in [0.25, 0.5, 0.75].into_iter().zip(expected) {
            assert_eq!(eval_1d(source, x), value, "{source} at {x}");
        }
    }
}

#[test]
fn comparisons_with_nan() {
    for source in ["x < 1", "x <= 1", "x > 1", "x >= 1", "x == x"] {
        assert_eq!(eval_1d(source, f64::NAN), 0.0, "{source}");
    }
    assert_eq!(eval_1d("x != x", f64::NAN), 1.0);
}

#[test]
fn unit_jump_at_one_third() {
    let expr = Expr::parse("x >= 1/3", 1).unwrap();
    assert_eq!(expr.eval([0.2, 0.0]), 0.0);
    assert_eq!(expr.eval([1.0 / 3.0, 0.0]), 1.0);
    assert_eq!(expr.eval([0.5, 0.0]), 1.0);
}

#[test]
fn parenthesized_comparisons_combine() {
    let interval = "(0.25 < x) * (x < 0.75)";
    assert_eq!(eval_1d(interval, 0.1), 0.0);
    assert_eq!(eval_1d(interval, 0.5), 1.0);
    assert_eq!(eval_1d(interval, 0.9), 0.0);
    assert_eq!(eval_2d("(x < 0.5) == (y < 0.5)", 0.2, 0.3), 1.0);
    assert_eq!(eval_2d("(x < 0.5) == (y < 0.5)", 0.2, 0.7), 0.0);
}

#[test]
fn if_selects_branch() {
    let expr = Expr::parse("if(x < 0.5, 10, 20)", 1).unwrap();
    assert_eq!(expr.eval([0.25, 0.0]), 10.0);
    assert_eq!(expr.eval([0.75, 0.0]), 20.0);

    assert_eq!(eval_1d("if(x, 1, 2)", -3.0), 1.0);
    assert_eq!(eval_1d("if(x, 1, 2)", 0.0), 2.0);
    assert_eq!(eval_1d("if(x, 1, 2)", -0.0), 2.0);
    assert_eq!(eval_1d("if(x, 1, 2)", f64::INFINITY), 1.0);
}

#[test]
fn if_with_nan_condition() {
    assert_eq!(eval_1d("if(x, 1, 2)", f64::NAN), 2.0);
    assert_eq!(eval_1d("if(ln(x), 1, 2)", -1.0), 2.0);
    assert_eq!(eval_1d("if(0/0, 1, 2)", 0.0), 2.0);
}

#[test]
fn if_branches_may_be_nan() {
    assert!(eval_1d("if(x > 0, ln(x), 0/0)", -1.0).is_nan());
    assert_eq!(eval_1d("if(x > 0, 0, ln(x))", 1.0), 0.0);
}

#[test]
fn y_ignored_in_one_dimension() {
    let expr = Expr::parse("x + 1", 1).unwrap();
    assert_eq!(expr.eval([2.0, 100.0]), 3.0);
    assert_eq!(expr.eval([2.0, f64::NAN]), 3.0);
}

#[test]
fn non_finite_results_allowed() {
    assert_eq!(eval_1d("1/(x-0.5)", 0.5), f64::INFINITY);
    assert!(eval_1d("ln(x)", -1.0).is_nan());
    assert_eq!(eval_1d("ln(x)", 0.0), f64::NEG_INFINITY);
    assert_eq!(eval_1d("exp(x)", 1000.0), f64::INFINITY);
    assert!(eval_1d("0/0", 0.0).is_nan());
}

#[test]
fn constant_folding_shrinks_program() {
    let constant = Expr::parse("2*pi + sin(1)^2 - max(1, 2, 3)", 1).unwrap();
    assert_eq!(constant.cost(), 1);
    assert_eq!(
        constant.eval([0.0, 0.0]),
        2.0 * std::f64::consts::PI + libm::pow(libm::sin(1.0), 2.0) - 3.0
    );

    // abs(x - 1/3) + 0.5*sin(7*x): 1/3 folds to one constant.
    let mixed = Expr::parse("abs(x - 1/3) + 0.5*sin(7*x)", 1).unwrap();
    assert_eq!(mixed.cost(), 11);

    assert_eq!(Expr::parse("x", 1).unwrap().cost(), 1);
    assert_eq!(Expr::parse("if(1, x, y)", 2).unwrap().cost(), 1);
    assert_eq!(Expr::parse("if(0/0, x, y)", 2).unwrap().cost(), 1);
}

#[test]
fn folding_keeps_results_identical() {
    // Each unfolded expression is the folded one with a literal replaced by
    // x, so evaluating it at that literal runs the same operations at run
    // time that folding ran at parse time.
    let cases = [
        ("1/3 + 0.5", "1/3 + x", 0.5),
        ("sin(7*0.1)", "sin(7*x)", 0.1),
        ("2^-1.5", "2^-x", 1.5),
        ("ln(3) / exp(2)", "ln(x) / exp(2)", 3.0),
        ("if(0.2 < 0.5, 0.2, 1)", "if(x < 0.5, x, 1)", 0.2),
        ("min(0.3, 0.1, 0.2)", "min(x, 0.1, 0.2)", 0.3),
        ("atan(tanh(0.7)) - 0.7^2", "atan(tanh(x)) - x^2", 0.7),
        ("-(-0.25)", "-(-x)", 0.25),
    ];
    for (folded, unfolded, x) in cases {
        let folded_expr = Expr::parse(folded, 1).unwrap();
        let unfolded_expr = Expr::parse(unfolded, 1).unwrap();
        assert!(
            folded_expr.cost() < unfolded_expr.cost(),
            "{folded} was not folded"
        );
        let context = format!("{folded} vs {unfolded} at {x}");
        assert_same(
            folded_expr.eval([0.0, 0.0]),
            unfolded_expr.eval([x, 0.0]),
            &context,
        );
    }
}

#[test]
fn source_and_dim_kept() {
    let expr = Expr::parse("  x + y ", 2).unwrap();
    assert_eq!(expr.source(), "  x + y ");
    assert_eq!(expr.dim(), 2);
}

#[test]
fn eval_many_matches_eval() {
    let expr = Expr::parse("abs(x - 1/3) + 0.5*sin(7*x) + if(y > 0.5, y^2, -y)", 2).unwrap();
    let points: Vec<[f64; 2]> = (0..200)
        .map(|i| [i as f64 / 199.0, (i * 7 % 200) as f64 / 199.0])
        .collect();
    let mut out = vec![f64::NAN; points.len()];
    expr.eval_many(&points, &mut out);
    for (point, value) in points.iter().zip(&out) {
        assert_same(*value, expr.eval(*point), &format!("{point:?}"));
    }
}

#[test]
fn eval_many_with_short_output() {
    let expr = Expr::parse("x + 1", 1).unwrap();
    let points = [[1.0, 0.0], [2.0, 0.0], [3.0, 0.0]];
    let mut out = [0.0; 2];
    expr.eval_many(&points, &mut out);
    assert_eq!(out, [2.0, 3.0]);

    let mut long_out = [-1.0; 4];
    expr.eval_many(&points, &mut long_out);
    assert_eq!(long_out, [2.0, 3.0, 4.0, -1.0]);

    let mut empty: [f64; 0] = [];
    expr.eval_many(&[], &mut empty);
}

#[test]
fn deep_stack_program_evaluates() {
    // Right-nested sums keep one pending value per level, so this program
    // needs a stack of 61 values, more than the scalar fast path holds.
    let depth = 60;
    let source = format!("{}x{}", "(x+".repeat(depth), ")".repeat(depth));
    let expr = Expr::parse(&source, 1).unwrap();
    assert_eq!(expr.eval([1.0, 0.0]), (depth + 1) as f64);
    let mut out = [0.0; 3];
    expr.eval_many(&[[1.0, 0.0], [2.0, 0.0], [0.5, 0.0]], &mut out);
    assert_eq!(out, [61.0, 122.0, 30.5]);
}

#[test]
fn long_flat_chain_evaluates() {
    let source = vec!["x"; 500].join("+");
    assert_eq!(source.chars().count(), 999);
    let expr = Expr::parse(&source, 1).unwrap();
    assert_eq!(expr.eval([1.0, 0.0]), 500.0);
    assert_eq!(expr.cost(), 999);
}
