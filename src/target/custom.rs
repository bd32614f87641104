//! A target typed by the user.

use super::Target;
use crate::expr::{Expr, ParseError};
use crate::grid::Point;

/// An expression in x (and y), compiled once.
///
/// Nothing is known about its smoothness, so there are no seeds, no closed
/// forms and no certified majorant. The reference rate line uses the
/// smoothness exponent α that the user sets.
#[derive(Clone, Debug)]
pub struct Custom {
    d: usize,
    expr: Expr,
    alpha: f64,
}

impl Custom {
    /// Compiles `source` for dimension `d`.
    pub fn new(d: usize, source: &str, alpha: f64) -> Result<Custom, ParseError> {
        let expr = Expr::parse(source, d)?;
        Ok(Custom { d, expr, alpha })
    }
}

impl Target for Custom {
    fn dim(&self) -> usize {
        self.d
    }

    fn eval(&self, point: Point) -> f64 {
        self.expr.eval(point)
    }

    fn eval_many(&self, points: &[Point], out: &mut [f64]) {
        self.expr.eval_many(points, out);
    }

    fn reports_singularities(&self) -> bool {
        false
    }

    fn rate_exponent(&self, _p: f64) -> f64 {
        self.alpha
    }

    /// One unit per eight instructions of the compiled program.
    fn cost(&self) -> u64 {
        (self.expr.cost() as u64).div_ceil(8).max(1)
    }

    fn formula(&self) -> String {
        self.expr.source().to_string()
    }
}
