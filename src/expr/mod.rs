//! Safe parser and evaluator for user expressions in x (and y).
//!
//! `Expr::parse` reads the text once into a syntax tree, folds constant
//! subexpressions and compiles the tree to a flat stack program. `eval` and
//! `eval_many` only run that program. None of these steps recurses, so no
//! input can overflow the call stack, and property tests check that no
//! input makes them panic.
//!
//! # Grammar
//!
//! Operators, from loosest to tightest binding:
//!
//! | Operators                   | Meaning                  | Grouping                          |
//! |-----------------------------|--------------------------|-----------------------------------|
//! | `<` `<=` `>` `>=` `==` `!=` | 1.0 if true, else 0.0    | no chains: `0 < x < 1` is an error |
//! | `+` `-`                     | sum, difference          | left: `a - b - c` is `(a - b) - c` |
//! | `*` `/`                     | product, quotient        | left: `a / b / c` is `(a / b) / c` |
//! | `-` `+` prefix              | negation, no-op          | `-a * b` is `(-a) * b`            |
//! | `^`                         | power, with `libm::pow`  | right: `a^b^c` is `a^(b^c)`, and `-x^2` is `-(x^2)` |
//!
//! The exponent of `^` may carry signs, so `2^-1` is 0.5. Operands are:
//!
//! - decimal numbers with optional fraction and exponent: `2`, `2.`,
//!   `.5`, `1e-3`, `2.5E+4`;
//! - the constants `pi` and `e`;
//! - the variable `x`, and `y` when the dimension is 2;
//! - parenthesized expressions;
//! - calls of the one-argument functions `abs sqrt exp ln log sin cos tan
//!   floor ceil round sign atan tanh cosh sinh asin acos` (`log` is the
//!   natural logarithm, like `ln`), of `min` and `max` with two or more
//!   arguments, and of `if(condition, a, b)`. `if` returns `a` where the
//!   condition is non-zero and `b` where it is zero or NaN.
//!
//! Names are lower case. Whitespace may appear between any two tokens.
//! Multiplication needs an explicit `*`, so `2x` is rejected. Nesting of
//! parentheses, calls, signs and `^` is limited to `MAX_NESTING_DEPTH`
//! levels, and the source to `MAX_EXPR_CHARS` characters.
//!
//! Evaluation follows IEEE 754: `1/(x-0.5)` is infinite at 0.5 and
//! `ln(x)` is NaN for negative x. Comparisons with NaN are false, except
//! `!=`. `min` and `max` return NaN if any argument is NaN. `round` rounds
//! halfway cases away from zero. `sign` returns 1 or -1 and keeps ±0 and
//! NaN. Transcendental functions come from the `libm` crate, so native and
//! WebAssembly builds return the same bits.
//!
//! # Example
//!
//! ```
//! use layerwise::expr::Expr;
//!
//! let step = Expr::parse("x >= 1/3", 1).unwrap();
//! assert_eq!(step.eval([0.2, 0.0]), 0.0);
//! assert_eq!(step.eval([0.5, 0.0]), 1.0);
//!
//! let error = Expr::parse("2x", 1).unwrap_err();
//! assert_eq!(error.position, 1);
//! assert!(error.message.contains("write 2*x"));
//! ```

mod ast;
mod diagnostics;
mod functions;
mod lexer;
mod ops;
mod parser;
mod program;

use std::fmt;

use crate::state::MAX_EXPR_CHARS;
use program::Program;

/// Maximum nesting depth of an expression. Each parenthesis, function
/// call, prefix sign and `^` opens a level until its operand ends, so
/// `-(x^2)` has depth 3.
pub const MAX_NESTING_DEPTH: usize = 64;

/// A compiled expression in the variables x (and y when `dim` is 2).
#[derive(Clone, Debug)]
pub struct Expr {
    source: String,
    dim: usize,
    program: Program,
}

/// Why an expression was rejected, with the character position (0-based,
/// counted in Unicode scalar values) where the problem starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// Character offset of the offending token, at most the number of
    /// chars in the source. It equals that number when the problem is at
    /// the end of the input.
    pub position: usize,
    /// What is wrong, in one sentence.
    pub message: String,
}

impl ParseError {
    pub(crate) fn new(position: usize, message: impl Into<String>) -> ParseError {
        ParseError {
            position,
            message: message.into(),
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at character {})", self.message, self.position + 1)
    }
}

impl std::error::Error for ParseError {}

impl Expr {
    /// Parses and compiles `source` as an expression in x (and y when `dim`
    /// is 2).
    ///
    /// # Errors
    ///
    /// Returns a `ParseError` if `dim` is not 1 or 2, if `source` has more
    /// than `MAX_EXPR_CHARS` chars or nests deeper than
    /// `MAX_NESTING_DEPTH`, or if it does not follow the grammar in the
    /// module documentation. The error points at the leftmost problem.
    pub fn parse(source: &str, dim: usize) -> Result<Expr, ParseError> {
        if dim != 1 && dim != 2 {
            return Err(ParseError::new(
                0,
                format!("dimension must be 1 or 2, but got {dim}"),
            ));
        }
        let length = source.chars().count();
        if length > MAX_EXPR_CHARS {
            return Err(ParseError::new(
                MAX_EXPR_CHARS,
                format!(
                    "expression is too long: {length} characters, but the limit is \
                     {MAX_EXPR_CHARS}"
                ),
            ));
        }

        let chars: Vec<char> = source.chars().collect();
        let (tokens, lexer_error) = lexer::tokenize(&chars);
        let mut ast = parser::parse_tokens(&chars, &tokens, lexer_error, dim)?;
        ast.fold_constants();
        Ok(Expr {
            source: source.to_string(),
            dim,
            program: Program::compile(&ast),
        })
    }

    /// Returns the source text as given to `parse`.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Returns the dimension given to `parse`: 1 or 2.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// Evaluates at the point (x, y). In one dimension y is ignored.
    ///
    /// Returns NaN or ±infinity where the formula is undefined or
    /// overflows, and never panics.
    pub fn eval(&self, point: [f64; 2]) -> f64 {
        self.program.eval(point)
    }

    /// Evaluates at many points, writing `out[i]` for `points[i]`.
    ///
    /// Returns the same bits as `eval` at every point, except that the
    /// payload of a NaN may differ because Rust does not specify it.
    /// Runs each instruction over chunks of 64 points, so it is faster per
    /// point than calling `eval` in a loop. If the slices differ
    /// in length, only the first `min(points.len(), out.len())` entries are
    /// computed and written.
    pub fn eval_many(&self, points: &[[f64; 2]], out: &mut [f64]) {
        let count = points.len().min(out.len());
        self.program.eval_many(&points[..count], &mut out[..count]);
    }

    /// Returns the number of instructions of the compiled program (at least
    /// 1), a measure of the cost of one evaluation. Constant folding makes
    /// it 1 for a constant expression such as `2*pi`.
    pub fn cost(&self) -> usize {
        self.program.len()
    }
}
