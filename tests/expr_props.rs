//! Property tests of the expression parser and evaluator: no input panics
//! or overflows the stack, random valid expressions evaluate like a
//! reference tree evaluator, and `eval_many` matches `eval`.

use layerwise::expr::{Expr, MAX_NESTING_DEPTH};
use layerwise::state::MAX_EXPR_CHARS;
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

/// Returns a configuration that runs `cases` cases and saves failing seeds
/// to `proptest-regressions/`, relative to the package root where cargo
/// runs integration tests. Proptest's default looks for a `lib.rs` next to
/// the test and, finding none under `tests/`, saves beside the test file.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "proptest-regressions/expr_props.txt",
        ))),
        ..ProptestConfig::default()
    }
}

/// Asserts that two values have the same bits, or are both NaN.
fn assert_same(actual: f64, expected: f64, context: &str) {
    let same = actual.to_bits() == expected.to_bits() || (actual.is_nan() && expected.is_nan());
    assert!(same, "{context}: got {actual:?}, expected {expected:?}");
}

/// Parses `source` and checks the error position, or evaluates the result
/// at a few points. Panics (failing the test) if anything is wrong.
fn check_parse_never_panics(source: &str) {
    let length = source.chars().count();
    for dim in [1, 2] {
        match Expr::parse(source, dim) {
            Err(error) => {
                assert!(
                    error.position <= length,
                    "position {} beyond {length} chars for {source:?}: {error}",
                    error.position
                );
                assert!(!error.message.is_empty(), "empty message for {source:?}");
            }
            Ok(expr) => {
                assert!(expr.cost() >= 1);
                let points = [[0.5, 0.25], [0.0, -0.0], [f64::NAN, 1e300]];
                let mut out = [0.0; 3];
                expr.eval_many(&points, &mut out);
                for (point, value) in points.iter().zip(out) {
                    assert_same(value, expr.eval(*point), source);
                }
            }
        }
    }
}

/// Valid expressions that the mutation test starts from.
const SEEDS: &[&str] = &[
    "abs(x - 1/3) + 0.5*sin(7*x)",
    "x >= 1/3",
    "if(x < 0.5, x^2, -sqrt(x))",
    "min(x, y, 1 - x, 1 - y)",
    "exp(-((x-0.5)^2 + (y-0.5)^2) / 0.01)",
    "2.5E+4 * ln(1 + x) / (1e-3 + y)",
    "floor(8*x) / 8 != round(x)",
    "-x^2^-y",
    "max(tanh(x), atan(y), cosh(0.1), sinh(x*y), asin(x), acos(y))",
];

/// Characters that mutations insert: token characters, look-alikes and
/// arbitrary Unicode.
fn mutation_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => prop::sample::select(
            "()+-*/^<>=!,.0123456789exyapisnq ×²π√−\t".chars().collect::<Vec<_>>()
        ),
        1 => any::<char>(),
    ]
}

#[derive(Clone, Debug)]
enum Edit {
    Insert(usize, char),
    Delete(usize),
    Replace(usize, char),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), mutation_char()).prop_map(|(at, c)| Edit::Insert(at, c)),
        any::<usize>().prop_map(Edit::Delete),
        (any::<usize>(), mutation_char()).prop_map(|(at, c)| Edit::Replace(at, c)),
    ]
}

fn apply_edits(seed: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = seed.chars().collect();
    for edit in edits {
        match *edit {
            Edit::Insert(at, c) => chars.insert(at % (chars.len() + 1), c),
            Edit::Delete(_) if chars.is_empty() => {}
            Edit::Delete(at) => {
                chars.remove(at % chars.len());
            }
            Edit::Replace(_, _) if chars.is_empty() => {}
            Edit::Replace(at, c) => {
                let index = at % chars.len();
                chars[index] = c;
            }
        }
    }
    chars.into_iter().collect()
}

/// Tokens that the token-soup strategy joins, so that random strings reach
/// deep into the parser rather than failing at the first character.
const TOKENS: &[&str] = &[
    "x", "y", "e", "pi", "2", "0.5", ".5", "1e3", "1e999", "sin", "min", "if", "foo", "(", ")",
    ",", "+", "-", "*", "/", "^", "<", "<=", "==", "!=", " ", "×", "2x", ".",
];

fn token_soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..40).prop_map(|tokens| tokens.concat())
}

/// A random expression tree, printed by `print` and evaluated by
/// `reference_eval`, both written independently of the crate.
#[derive(Clone, Debug)]
enum Tree {
    Number(f64),
    X,
    Y,
    Pi,
    E,
    Group(Box<Tree>),
    Neg(Box<Tree>),
    Binary(&'static str, Box<Tree>, Box<Tree>),
    Call(&'static str, Box<Tree>),
    MinMax(&'static str, Vec<Tree>),
    If(Box<Tree>, Box<Tree>, Box<Tree>),
}

const BINARY_OPERATORS: &[&str] = &["+", "-", "*", "/", "^", "<", "<=", ">", ">=", "==", "!="];
const UNARY_FUNCTIONS: &[&str] = &[
    "abs", "sqrt", "exp", "ln", "log", "sin", "cos", "tan", "floor", "ceil", "round", "sign",
    "atan", "tanh", "cosh", "sinh", "asin", "acos",
];

fn number() -> impl Strategy<Value = f64> {
    prop_oneof![
        (0u32..12).prop_map(f64::from),
        0.0..4.0f64,
        any::<f64>()
            .prop_filter("finite", |value| value.is_finite())
            .prop_map(f64::abs),
    ]
}

fn tree() -> impl Strategy<Value = Tree> {
    let leaf = prop_oneof![
        3 => number().prop_map(Tree::Number),
        3 => Just(Tree::X),
        2 => Just(Tree::Y),
        1 => Just(Tree::Pi),
        1 => Just(Tree::E),
    ];
    leaf.prop_recursive(6, 48, 4, |inner| {
        prop_oneof![
            1 => inner.clone().prop_map(|a| Tree::Group(Box::new(a))),
            2 => inner.clone().prop_map(|a| Tree::Neg(Box::new(a))),
            6 => (prop::sample::select(BINARY_OPERATORS), inner.clone(), inner.clone())
                .prop_map(|(op, a, b)| Tree::Binary(op, Box::new(a), Box::new(b))),
            3 => (prop::sample::select(UNARY_FUNCTIONS), inner.clone())
                .prop_map(|(name, a)| Tree::Call(name, Box::new(a))),
            1 => (
                prop::sample::select(&["min", "max"][..]),
                prop::collection::vec(inner.clone(), 2..5)
            )
                .prop_map(|(name, arguments)| Tree::MinMax(name, arguments)),
            1 => (inner.clone(), inner.clone(), inner)
                .prop_map(|(c, a, b)| Tree::If(Box::new(c), Box::new(a), Box::new(b))),
        ]
    })
}

/// Binding strength: 1 comparisons, 2 `+ -`, 3 `* /`, 4 prefix minus,
/// 5 `^`, 6 operands and calls.
fn precedence(op: &str) -> u8 {
    match op {
        "+" | "-" => 2,
        "*" | "/" => 3,
        "^" => 5,
        _ => 1,
    }
}

fn parenthesize(text: String, needed: bool) -> String {
    if needed {
        format!("({text})")
    } else {
        text
    }
}

/// Prints a tree with the fewest parentheses that the grammar needs, plus
/// those of `Group` nodes, and returns the text and its precedence.
fn print(tree: &Tree) -> (String, u8) {
    match tree {
        // Debug formatting of f64 is the shortest text that parses back to
        // the same bits, in forms such as 2.0, 0.1 and 1e-7.
        Tree::Number(value) => (format!("{value:?}"), 6),
        Tree::X => ("x".into(), 6),
        Tree::Y => ("y".into(), 6),
        Tree::Pi => ("pi".into(), 6),
        Tree::E => ("e".into(), 6),
        Tree::Group(a) => (format!("({})", print(a).0), 6),
        Tree::Neg(a) => {
            let (text, inner) = print(a);
            (format!("-{}", parenthesize(text, inner < 4)), 4)
        }
        Tree::Binary(op, a, b) => {
            let p = precedence(op);
            let (left, left_precedence) = print(a);
            let (right, right_precedence) = print(b);
            let (left_needs, right_needs) = match p {
                // Comparisons do not chain, so a comparison operand needs
                // parentheses on either side.
                1 => (left_precedence <= 1, right_precedence <= 1),
                // `^` is right-associative, and its exponent may be negated.
                5 => (left_precedence <= 5, right_precedence < 4),
                _ => (left_precedence < p, right_precedence <= p),
            };
            let text = format!(
                "{} {op} {}",
                parenthesize(left, left_needs),
                parenthesize(right, right_needs)
            );
            (text, p)
        }
        Tree::Call(name, a) => (format!("{name}({})", print(a).0), 6),
        Tree::MinMax(name, arguments) => {
            let texts: Vec<String> = arguments.iter().map(|a| print(a).0).collect();
            (format!("{name}({})", texts.join(", ")), 6)
        }
        Tree::If(c, a, b) => (
            format!("if({}, {}, {})", print(c).0, print(a).0, print(b).0),
            6,
        ),
    }
}

/// IEEE 754-2019 minimum (`less` true) or maximum: NaN if either operand
/// is NaN, and -0 below +0.
fn reference_min_max(a: f64, b: f64, less: bool) -> f64 {
    if a.is_nan() || b.is_nan() {
        return f64::NAN;
    }
    if a == b {
        // Equal values differ at most in the sign of zero.
        let a_wins = a.is_sign_negative() == less;
        return if a_wins { a } else { b };
    }
    if (a < b) == less {
        a
    } else {
        b
    }
}

fn reference_eval(tree: &Tree, x: f64, y: f64) -> f64 {
    let truth = |condition: bool| if condition { 1.0 } else { 0.0 };
    match tree {
        Tree::Number(value) => *value,
        Tree::X => x,
        Tree::Y => y,
        Tree::Pi => std::f64::consts::PI,
        Tree::E => std::f64::consts::E,
        Tree::Group(a) => reference_eval(a, x, y),
        Tree::Neg(a) => -reference_eval(a, x, y),
        Tree::Binary(op, a, b) => {
            let a = reference_eval(a, x, y);
            let b = reference_eval(b, x, y);
            match *op {
                "+" => a + b,
                "-" => a - b,
                "*" => a * b,
                "/" => a / b,
                "^" => libm::pow(a, b),
                "<" => truth(a < b),
                "<=" => truth(a <= b),
                ">" => truth(a > b),
                ">=" => truth(a >= b),
                "==" => truth(a == b),
                "!=" => truth(a != b),
                other => panic!("unknown operator {other}"),
            }
        }
        Tree::Call(name, a) => {
            let a = reference_eval(a, x, y);
            match *name {
                "abs" => a.abs(),
                "sqrt" => a.sqrt(),
                "exp" => libm::exp(a),
                "ln" | "log" => libm::log(a),
                "sin" => libm::sin(a),
                "cos" => libm::cos(a),
                "tan" => libm::tan(a),
                "floor" => libm::floor(a),
                "ceil" => libm::ceil(a),
                "round" => libm::round(a),
                "sign" if a > 0.0 => 1.0,
                "sign" if a < 0.0 => -1.0,
                "sign" => a,
                "atan" => libm::atan(a),
                "tanh" => libm::tanh(a),
                "cosh" => libm::cosh(a),
                "sinh" => libm::sinh(a),
                "asin" => libm::asin(a),
                "acos" => libm::acos(a),
                other => panic!("unknown function {other}"),
            }
        }
        Tree::MinMax(name, arguments) => {
            let less = *name == "min";
            let mut values = arguments.iter().map(|a| reference_eval(a, x, y));
            let first = values.next().unwrap_or(f64::NAN);
            values.fold(first, |a, b| reference_min_max(a, b, less))
        }
        Tree::If(c, a, b) => {
            let c = reference_eval(c, x, y);
            if c != 0.0 && !c.is_nan() {
                reference_eval(a, x, y)
            } else {
                reference_eval(b, x, y)
            }
        }
    }
}

fn coordinate() -> impl Strategy<Value = f64> {
    prop_oneof![
        6 => -2.0..2.0f64,
        2 => 0.0..1.0f64,
        1 => prop::sample::select(vec![0.0, -0.0, 0.5, 1.0, f64::NAN, f64::INFINITY, -1e300]),
        1 => any::<f64>(),
    ]
}

fn point() -> impl Strategy<Value = [f64; 2]> {
    (coordinate(), coordinate()).prop_map(|(x, y)| [x, y])
}

proptest! {
    #![proptest_config(config(3000))]

    #[test]
    fn arbitrary_strings_never_panic(source in any::<String>()) {
        check_parse_never_panics(&source);
    }

    #[test]
    fn arbitrary_chars_never_panic(chars in prop::collection::vec(any::<char>(), 0..60)) {
        let source: String = chars.into_iter().collect();
        check_parse_never_panics(&source);
    }

    #[test]
    fn lossy_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..80)) {
        check_parse_never_panics(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn token_soup_never_panics(source in token_soup()) {
        check_parse_never_panics(&source);
    }

    #[test]
    fn operator_strings_never_panic(source in "[-+*/^()<>=!,. 0-9a-z×²]{0,40}") {
        check_parse_never_panics(&source);
    }
}

proptest! {
    #![proptest_config(config(1000))]

    #[test]
    fn mutated_expressions_never_panic(
        seed in prop::sample::select(SEEDS),
        edits in prop::collection::vec(edit(), 1..6),
    ) {
        check_parse_never_panics(&apply_edits(seed, &edits));
    }

    #[test]
    fn random_trees_match_reference(
        tree in tree(),
        points in prop::collection::vec(point(), 1..8),
    ) {
        let (text, _) = print(&tree);
        prop_assume!(text.chars().count() <= MAX_EXPR_CHARS);
        let expr = match Expr::parse(&text, 2) {
            Ok(expr) => expr,
            Err(error) => panic!("{text:?} was rejected: {error}"),
        };
        for [x, y] in points {
            let context = format!("{text} at ({x:?}, {y:?})");
            assert_same(expr.eval([x, y]), reference_eval(&tree, x, y), &context);
        }
    }

    #[test]
    fn eval_many_matches_eval(
        tree in tree(),
        points in prop::collection::vec(point(), 0..300),
    ) {
        let (text, _) = print(&tree);
        prop_assume!(text.chars().count() <= MAX_EXPR_CHARS);
        let expr = Expr::parse(&text, 2).unwrap();
        let mut out = vec![0.0; points.len()];
        expr.eval_many(&points, &mut out);
        for (point, value) in points.iter().zip(out) {
            let context = format!("{text} at {point:?}");
            assert_same(value, expr.eval(*point), &context);
        }
    }
}

/// Stack size for the deep-nesting tests. The parser recurses at most
/// `MAX_NESTING_DEPTH` times through parentheses and calls, so it fits in
/// far less than the 2 MiB that Rust gives a spawned thread by default.
const SMALL_STACK_BYTES: usize = 256 * 1024;

/// Runs `check` on a thread with a `SMALL_STACK_BYTES` stack. A stack
/// overflow aborts the whole test process, which also fails the test.
fn run_with_small_stack(check: impl FnOnce() + Send + 'static) {
    let handle = std::thread::Builder::new()
        .stack_size(SMALL_STACK_BYTES)
        .spawn(check);
    match handle {
        Ok(handle) => {
            if let Err(panic) = handle.join() {
                std::panic::resume_unwind(panic);
            }
        }
        Err(error) => panic!("failed to spawn a thread: {error}"),
    }
}

/// Wraps "x" in `depth` copies of `open` and `close`.
fn nest(open: &str, close: &str, depth: usize) -> String {
    format!("{}x{}", open.repeat(depth), close.repeat(depth))
}

#[test]
fn deep_nesting_on_small_stack() {
    run_with_small_stack(|| {
        let inputs = [
            nest("(", ")", 10_000),
            nest("(", ")", 499),
            nest("-", "", 10_000),
            nest("-", "", 999),
            nest("+", "", 999),
            nest("-(", ")", 333),
            nest("x^", "", 5_000),
            nest("x^", "", 499),
            nest("2^-", "", 333),
            nest("sin(", ")", 2_500),
            nest("sin(", ")", 199),
            nest("min(x,", ")", 142),
            nest("if(x,x,", ")", 124),
            nest("(", "", 999),
            "(".repeat(1000),
            ")".repeat(1000),
            "-".repeat(1000),
            "^".repeat(1000),
        ];
        for source in &inputs {
            check_parse_never_panics(source);
        }
    });
}

#[test]
fn max_depth_parses_on_small_stack() {
    run_with_small_stack(|| {
        let depth = MAX_NESTING_DEPTH;
        let accepted = [
            nest("(", ")", depth),
            nest("sin(", ")", depth),
            nest("min(x,", ")", depth),
            nest("if(x,x,", ")", depth),
            nest("-", "", depth),
            nest("x^", "", depth),
            nest("-(", ")", depth / 2),
            nest("(x+", ")", depth),
        ];
        for source in &accepted {
            let expr = match Expr::parse(source, 1) {
                Ok(expr) => expr,
                Err(error) => panic!("{source:?} was rejected: {error}"),
            };
            let mut out = [0.0; 2];
            expr.eval_many(&[[0.5, 0.0], [2.0, 0.0]], &mut out);
            assert_same(out[0], expr.eval([0.5, 0.0]), source);
        }
    });
}

#[test]
fn long_flat_chains_on_small_stack() {
    run_with_small_stack(|| {
        let chains = [
            vec!["x"; 500].join("+"),
            vec!["x"; 500].join("-"),
            vec!["x"; 500].join("*"),
            vec!["x"; 500].join("/"),
            vec!["x"; 333].join("<=").replacen("<=", "+", 331),
            format!("min({})", vec!["x"; 497].join(",")),
            vec!["-x"; 333].join("+"),
            vec!["x^2"; 250].join("+"),
        ];
        for source in &chains {
            assert!(source.chars().count() <= MAX_EXPR_CHARS, "{source}");
            let expr = match Expr::parse(source, 1) {
                Ok(expr) => expr,
                Err(error) => panic!("{source:?} was rejected: {error}"),
            };
            assert!(expr.eval([0.5, 0.0]).is_finite(), "{source}");
        }
    });
}
