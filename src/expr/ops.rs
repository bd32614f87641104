//! The operations that compiled programs apply, each defined once.
//!
//! The constant folder, the scalar interpreter and the chunked interpreter
//! all call `UnaryOp::apply` and `BinaryOp::apply`, so the three agree bit
//! for bit. Transcendental functions come from `libm`, so native and
//! WebAssembly builds return the same bits.

/// An operation with one operand: negation or a one-argument function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum UnaryOp {
    Neg,
    Abs,
    Sqrt,
    Exp,
    Ln,
    Sin,
    Cos,
    Tan,
    Floor,
    Ceil,
    Round,
    Sign,
    Atan,
    Tanh,
    Cosh,
    Sinh,
    Asin,
    Acos,
}

/// An operation with two operands: arithmetic, a comparison, or one step
/// of `min`/`max`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BinaryOp {
    Add,
    Sub,
    Mul,
    Div,
    Pow,
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
    Equal,
    NotEqual,
    Min,
    Max,
}

impl UnaryOp {
    #[inline(always)]
    pub(crate) fn apply(self, a: f64) -> f64 {
        match self {
            UnaryOp::Neg => -a,
            UnaryOp::Abs => libm::fabs(a),
            // Correctly rounded by IEEE 754 on every target, so std is as
            // portable as libm here and compiles to one instruction.
            UnaryOp::Sqrt => a.sqrt(),
            UnaryOp::Exp => libm::exp(a),
            UnaryOp::Ln => libm::log(a),
            UnaryOp::Sin => libm::sin(a),
            UnaryOp::Cos => libm::cos(a),
            UnaryOp::Tan => libm::tan(a),
            UnaryOp::Floor => libm::floor(a),
            UnaryOp::Ceil => libm::ceil(a),
            // Halfway cases round away from zero, as C `round` does.
            UnaryOp::Round => libm::round(a),
            UnaryOp::Sign => sign(a),
            UnaryOp::Atan => libm::atan(a),
            UnaryOp::Tanh => libm::tanh(a),
            UnaryOp::Cosh => libm::cosh(a),
            UnaryOp::Sinh => libm::sinh(a),
            UnaryOp::Asin => libm::asin(a),
            UnaryOp::Acos => libm::acos(a),
        }
    }
}

impl BinaryOp {
    #[inline(always)]
    pub(crate) fn apply(self, a: f64, b: f64) -> f64 {
        match self {
            BinaryOp::Add => a + b,
            BinaryOp::Sub => a - b,
            BinaryOp::Mul => a * b,
            BinaryOp::Div => a / b,
            BinaryOp::Pow => libm::pow(a, b),
            BinaryOp::Less => truth(a < b),
            BinaryOp::LessEqual => truth(a <= b),
            BinaryOp::Greater => truth(a > b),
            BinaryOp::GreaterEqual => truth(a >= b),
            BinaryOp::Equal => truth(a == b),
            BinaryOp::NotEqual => truth(a != b),
            // IEEE 754-2019 minimum and maximum: NaN if either operand is
            // NaN, and -0 orders below +0.
            BinaryOp::Min => libm::fminimum(a, b),
            BinaryOp::Max => libm::fmaximum(a, b),
        }
    }
}

/// Returns `if_true` where `condition` is non-zero, else `if_false`. A NaN
/// condition selects `if_false`.
#[inline(always)]
pub(crate) fn select(condition: f64, if_true: f64, if_false: f64) -> f64 {
    if condition != 0.0 && !condition.is_nan() {
        if_true
    } else {
        if_false
    }
}

#[inline(always)]
fn truth(condition: bool) -> f64 {
    if condition {
        1.0
    } else {
        0.0
    }
}

/// Returns 1 for positive, -1 for negative, and `a` itself for ±0 and NaN.
#[inline(always)]
fn sign(a: f64) -> f64 {
    if a > 0.0 {
        1.0
    } else if a < 0.0 {
        -1.0
    } else {
        a
    }
}
