//! Rejected expressions: the position of each error and the words of its
//! message.

use layerwise::expr::{Expr, ParseError, MAX_NESTING_DEPTH};
use layerwise::state::MAX_EXPR_CHARS;

fn parse_error(source: &str, dim: usize) -> ParseError {
    match Expr::parse(source, dim) {
        Ok(_) => panic!("{source:?} was accepted in {dim}D"),
        Err(error) => error,
    }
}

/// (source, dimension, expected 0-based char position, word that the
/// message must contain)
const CASES: &[(&str, usize, usize, &str)] = &[
    // Empty input.
    ("", 1, 0, "empty"),
    ("   \t", 1, 0, "empty"),
    // Unexpected characters, named, with a hint for look-alikes.
    ("x × 2", 1, 2, "'×'"),
    ("x × 2", 1, 2, "use * for multiplication"),
    ("x²", 1, 1, "'²'"),
    ("x²", 1, 1, "^"),
    ("x − 1", 1, 2, "'−'"),
    ("π*x", 1, 0, "pi"),
    ("√x", 1, 0, "sqrt"),
    ("x ≤ 1", 1, 2, "<="),
    ("x = 1", 1, 2, "=="),
    ("x ! 1", 1, 2, "!="),
    ("|x|", 1, 0, "abs"),
    ("x & 1", 1, 2, "'&'"),
    ("[x]", 1, 0, "'['"),
    ("x**2", 1, 1, "^"),
    ("x # 2", 1, 2, "'#'"),
    ("x $", 1, 2, "unexpected character"),
    ("é", 1, 0, "'é'"),
    ("αx", 1, 0, "'α'"),
    ("\u{200b}x", 1, 0, "\\u{200b}"),
    ("x + 1;", 1, 5, "';'"),
    // Unknown names, listing the variables.
    ("z", 1, 0, "unknown name 'z'"),
    ("z", 1, 0, "x"),
    ("x + z", 2, 4, "x and y"),
    ("X", 1, 0, "lower case"),
    ("PI", 1, 0, "write pi"),
    ("sinx", 1, 0, "sin(x)"),
    ("xy", 2, 0, "x*y"),
    ("pix", 1, 0, "pi*x"),
    ("y", 1, 0, "two dimensions"),
    ("x + y", 1, 4, "two dimensions"),
    ("y(1)", 1, 0, "two dimensions"),
    ("sin", 1, 0, "parentheses"),
    ("2*cos x", 1, 2, "cos(x)"),
    // Unknown functions, with suggestions.
    ("foo(x)", 1, 0, "unknown function 'foo'"),
    ("foo(x)", 1, 0, "sqrt"),
    ("sine(x)", 1, 0, "sin"),
    ("sqr(x)", 1, 0, "sqrt"),
    ("Sin(x)", 1, 0, "lower case"),
    ("1 + log10(x)", 1, 4, "ln(10)"),
    ("x(2)", 1, 0, "not a function"),
    ("pi(2)", 1, 0, "pi*("),
    // Wrong number of arguments, at the function name.
    ("min(x)", 1, 0, "at least 2 arguments"),
    ("max()", 1, 0, "at least 2 arguments"),
    ("sin()", 1, 0, "1 argument"),
    ("x + sin(x, 1)", 1, 4, "1 argument"),
    ("if(x, 1)", 1, 0, "3 arguments"),
    ("if(x, 1, 2, 3)", 1, 0, "3 arguments"),
    // Parentheses.
    ("(x + 1", 1, 0, "missing closing parenthesis"),
    ("((x + 1)", 1, 0, "missing closing parenthesis"),
    ("(x + (1)", 1, 0, "missing closing parenthesis"),
    ("sin(x", 1, 3, "missing closing parenthesis"),
    ("2 * min(x, 1", 1, 7, "missing closing parenthesis"),
    ("x + 1)", 1, 5, "unexpected ')'"),
    ("(x))", 1, 3, "unexpected ')'"),
    (")", 1, 0, "')'"),
    ("()", 1, 0, "empty parentheses"),
    ("(x, 1)", 1, 2, "','"),
    ("x, 1", 1, 1, "outside a function call"),
    ("1,5", 1, 1, "1.5"),
    // Missing operands.
    ("x +", 1, 3, "after '+'"),
    ("x + ", 1, 4, "expected a number, variable or '('"),
    ("x + * 2", 1, 4, "after '+'"),
    ("*x", 1, 0, "'*'"),
    ("x ^", 1, 3, "after '^'"),
    ("x^^2", 1, 2, "after '^'"),
    ("-", 1, 1, "after '-'"),
    ("min(x,)", 1, 6, "after ','"),
    ("min(,x)", 1, 4, "after '('"),
    ("x < ", 1, 4, "after '<'"),
    // Implicit multiplication.
    ("2x", 1, 1, "use * for multiplication: write 2*x"),
    ("2 x", 1, 2, "write 2*x"),
    ("2(x+1)", 1, 1, "write 2*("),
    ("(x+1)(x-1)", 1, 5, "use * for multiplication"),
    ("2sin(x)", 1, 1, "write 2*sin"),
    ("x y", 2, 2, "write x*y"),
    ("2 3", 1, 2, "write 2*3"),
    ("2e", 1, 1, "write 2*e"),
    // Comparisons do not chain.
    ("0 < x < 1", 1, 6, "chained"),
    ("x == 1 != 0", 1, 7, "chained"),
    // Number literals.
    ("1e999", 1, 0, "number 1e999 is too large"),
    ("x + 2e400", 1, 4, "too large"),
    ("1.2.3", 1, 3, "decimal point"),
    (".", 1, 0, "digit"),
    (".e3", 1, 0, "digit"),
    // Dimension.
    ("x", 0, 0, "dimension"),
    ("x", 3, 0, "dimension"),
];

#[test]
fn error_table_positions_and_messages() {
    for &(source, dim, position, word) in CASES {
        let error = parse_error(source, dim);
        assert_eq!(
            error.position, position,
            "position for {source:?} in {dim}D: {error}"
        );
        assert!(
            error.message.contains(word),
            "message for {source:?} in {dim}D lacks {word:?}: {error}"
        );
    }
}

#[test]
fn error_messages_are_one_sentence() {
    for &(source, dim, _, _) in CASES {
        let error = parse_error(source, dim);
        assert!(!error.message.is_empty(), "{source:?}");
        assert!(!error.message.contains('\n'), "{source:?}: {error}");
        assert!(
            !error.message.contains(". "),
            "{source:?} has more than one sentence: {error}"
        );
    }
}

#[test]
fn position_counts_chars_not_bytes() {
    // 'é' and '×' take two bytes each in UTF-8.
    let error = parse_error("é+é", 1);
    assert_eq!(error.position, 0);
    let error = parse_error("(x+1)*2 × 3", 1);
    assert_eq!(error.position, 8);
    let error = parse_error("\u{a0}\u{a0}x + z", 1);
    assert_eq!(error.position, 6);
}

#[test]
fn leftmost_error_wins() {
    // The syntax error at '*' comes before the invalid character.
    let error = parse_error("x + * ×", 1);
    assert_eq!(error.position, 4);
    // The invalid character comes before the missing parenthesis.
    let error = parse_error("(x × 2", 1);
    assert_eq!(error.position, 3);
    assert!(error.message.contains('×'), "{error}");
}

#[test]
fn display_counts_from_one() {
    let error = parse_error("x +", 1);
    assert_eq!(
        error.to_string(),
        "expected a number, variable or '(' after '+' (at character 4)"
    );
}

#[test]
fn long_input_rejected_before_parsing() {
    let limit_plus_one = "1".repeat(MAX_EXPR_CHARS + 1);
    let error = parse_error(&limit_plus_one, 1);
    assert_eq!(error.position, MAX_EXPR_CHARS);
    assert!(
        error.message.contains(&MAX_EXPR_CHARS.to_string()),
        "{error}"
    );

    // Invalid from the start, but the length check comes first.
    let long_garbage = "×".repeat(5000);
    let error = parse_error(&long_garbage, 1);
    assert!(error.message.contains("too long"), "{error}");
    assert!(error.message.contains("5000"), "{error}");
}

#[test]
fn input_at_limit_accepted() {
    let at_limit = format!("{}x", " ".repeat(MAX_EXPR_CHARS - 1));
    assert_eq!(at_limit.chars().count(), MAX_EXPR_CHARS);
    assert!(Expr::parse(&at_limit, 1).is_ok());

    // The limit counts chars, so 1000 two-byte chars still pass the check.
    let wide = format!("x{}", "\u{a0}".repeat(MAX_EXPR_CHARS - 1));
    assert!(Expr::parse(&wide, 1).is_ok());
}

#[test]
fn nesting_limit_for_parentheses() {
    let at_limit = format!(
        "{}x{}",
        "(".repeat(MAX_NESTING_DEPTH),
        ")".repeat(MAX_NESTING_DEPTH)
    );
    assert!(Expr::parse(&at_limit, 1).is_ok());

    let over = format!(
        "{}x{}",
        "(".repeat(MAX_NESTING_DEPTH + 1),
        ")".repeat(MAX_NESTING_DEPTH + 1)
    );
    let error = parse_error(&over, 1);
    assert_eq!(error.position, MAX_NESTING_DEPTH);
    assert!(error.message.contains("nested too deeply"), "{error}");
    assert!(error.message.contains("64"), "{error}");
}

#[test]
fn nesting_limit_for_calls_signs_powers() {
    let depth = MAX_NESTING_DEPTH;
    let calls = format!("{}x{}", "sin(".repeat(depth), ")".repeat(depth));
    assert!(Expr::parse(&calls, 1).is_ok());
    let calls = format!("{}x{}", "sin(".repeat(depth + 1), ")".repeat(depth + 1));
    assert_eq!(parse_error(&calls, 1).position, 4 * depth + 3);

    let signs = format!("{}x", "-".repeat(depth));
    assert_eq!(Expr::parse(&signs, 1).unwrap().eval([2.0, 0.0]), 2.0);
    let signs = format!("{}x", "-".repeat(depth + 1));
    assert_eq!(parse_error(&signs, 1).position, depth);

    // x^x^...^x with `depth` carets is allowed, one more is not.
    let powers = vec!["x"; depth + 1].join("^");
    assert!(Expr::parse(&powers, 1).is_ok());
    let powers = vec!["x"; depth + 2].join("^");
    assert_eq!(parse_error(&powers, 1).position, 2 * depth + 1);

    // Mixed kinds share one limit: each "-(" opens two levels.
    let mixed = format!("{}x{}", "-(".repeat(depth / 2), ")".repeat(depth / 2));
    assert!(Expr::parse(&mixed, 1).is_ok());
    let mixed = format!("-{mixed}");
    assert_eq!(parse_error(&mixed, 1).position, depth);
}

#[test]
fn nesting_depth_is_released() {
    // Many sibling groups stay at depth 2, however many there are.
    let siblings = vec!["-(x)"; 150].join("+");
    assert!(Expr::parse(&siblings, 1).is_ok());
    let sequence = vec!["x^2"; 200].join("+");
    assert!(Expr::parse(&sequence, 1).is_ok());
}
