//! Safe parser and evaluator for user expressions in x (and y).
//!
//! The expression is parsed once into a compiled program; evaluation never
//! re-parses. See `Expr` for the grammar.

use std::fmt;

/// A compiled expression in the variables x (and y when `dim` is 2).
#[derive(Clone, Debug)]
pub struct Expr {
    source: String,
}

/// Why an expression was rejected, with the character position (0-based,
/// counted in Unicode scalar values) where the problem starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// Character offset of the offending token.
    pub position: usize,
    /// What is wrong, in one sentence.
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at character {})", self.message, self.position + 1)
    }
}

impl std::error::Error for ParseError {}

impl Expr {
    /// Parses `source` as an expression in x (and y when `dim` is 2).
    pub fn parse(source: &str, dim: usize) -> Result<Expr, ParseError> {
        let _ = dim;
        Err(ParseError {
            position: 0,
            message: format!("expressions are not implemented yet: {source}"),
        })
    }

    /// The source text as given.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Evaluates at the point (x, y); y is ignored in one dimension.
    pub fn eval(&self, point: [f64; 2]) -> f64 {
        let _ = point;
        f64::NAN
    }

    /// Evaluates at many points, writing `out[i]` for `points[i]`.
    pub fn eval_many(&self, points: &[[f64; 2]], out: &mut [f64]) {
        for (point, value) in points.iter().zip(out.iter_mut()) {
            *value = self.eval(*point);
        }
    }

    /// Number of instructions of the compiled program: the relative cost of
    /// one evaluation.
    pub fn cost(&self) -> usize {
        1
    }
}
