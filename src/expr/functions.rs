//! The table of callable functions and the name suggestions used in error
//! messages.

use super::ops::{BinaryOp, UnaryOp};

/// How a call to a function is compiled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FunctionKind {
    /// One argument, one operation.
    Unary(UnaryOp),
    /// Two or more arguments, folded left to right with one operation.
    Fold(BinaryOp),
    /// `if(condition, if_true, if_false)`.
    If,
}

/// A callable function: its name, argument count and compilation.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Function {
    pub(crate) name: &'static str,
    pub(crate) kind: FunctionKind,
}

impl Function {
    /// Returns a valid call of the function, for error messages.
    pub(crate) fn example(&self) -> String {
        match self.kind {
            FunctionKind::Unary(_) => format!("{}(x)", self.name),
            FunctionKind::Fold(_) => format!("{}(x, 0.5)", self.name),
            FunctionKind::If => "if(x < 0.5, 1, 0)".to_string(),
        }
    }

    /// Checks the number of arguments of a call and returns the error
    /// message when it is wrong.
    pub(crate) fn check_argument_count(&self, count: usize) -> Result<(), String> {
        let got = match count {
            0 => "none".to_string(),
            n => n.to_string(),
        };
        match self.kind {
            FunctionKind::Unary(_) if count != 1 => {
                Err(format!("{} needs 1 argument, but got {got}", self.name))
            }
            FunctionKind::Fold(_) if count < 2 => Err(format!(
                "{} needs at least 2 arguments, but got {got}",
                self.name
            )),
            FunctionKind::If if count != 3 => Err(format!(
                "if needs 3 arguments, if(condition, value if true, value if false), but got {got}"
            )),
            _ => Ok(()),
        }
    }
}

/// Every function, in the order that error messages list them.
pub(crate) const FUNCTIONS: [Function; 21] = [
    unary("abs", UnaryOp::Abs),
    unary("sqrt", UnaryOp::Sqrt),
    unary("exp", UnaryOp::Exp),
    unary("ln", UnaryOp::Ln),
    // `log` is the natural logarithm, the same as `ln`.
    unary("log", UnaryOp::Ln),
    unary("sin", UnaryOp::Sin),
    unary("cos", UnaryOp::Cos),
    unary("tan", UnaryOp::Tan),
    Function {
        name: "min",
        kind: FunctionKind::Fold(BinaryOp::Min),
    },
    Function {
        name: "max",
        kind: FunctionKind::Fold(BinaryOp::Max),
    },
    unary("floor", UnaryOp::Floor),
    unary("ceil", UnaryOp::Ceil),
    unary("round", UnaryOp::Round),
    unary("sign", UnaryOp::Sign),
    unary("atan", UnaryOp::Atan),
    unary("tanh", UnaryOp::Tanh),
    unary("cosh", UnaryOp::Cosh),
    unary("sinh", UnaryOp::Sinh),
    unary("asin", UnaryOp::Asin),
    unary("acos", UnaryOp::Acos),
    Function {
        name: "if",
        kind: FunctionKind::If,
    },
];

const fn unary(name: &'static str, op: UnaryOp) -> Function {
    Function {
        name,
        kind: FunctionKind::Unary(op),
    }
}

/// Looks up a function by its exact (case-sensitive) name.
pub(crate) fn find_function(name: &str) -> Option<&'static Function> {
    FUNCTIONS.iter().find(|function| function.name == name)
}

/// Returns the comma-separated names of every function.
pub(crate) fn function_names() -> String {
    let names: Vec<&str> = FUNCTIONS.iter().map(|function| function.name).collect();
    names.join(", ")
}

/// Returns up to three function names within a small edit distance of
/// `name`, closest first.
pub(crate) fn closest_function_names(name: &str) -> Vec<&'static str> {
    // One edit for short names, two for longer ones: more than that and
    // every short name becomes a suggestion.
    let max_distance = if name.chars().count() <= 3 { 1 } else { 2 };
    let mut candidates: Vec<(usize, &'static str)> = FUNCTIONS
        .iter()
        .map(|function| (edit_distance(name, function.name), function.name))
        .filter(|&(distance, _)| distance <= max_distance)
        .collect();
    candidates.sort_by_key(|&(distance, _)| distance);
    candidates
        .into_iter()
        .take(3)
        .map(|(_, name)| name)
        .collect()
}

/// Levenshtein distance between two strings, counted in chars.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, a_char) in a.chars().enumerate() {
        current[0] = i + 1;
        for (j, &b_char) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(a_char != b_char);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_small_cases() {
        assert_eq!(edit_distance("", ""), 0);
        assert_eq!(edit_distance("sin", "sin"), 0);
        assert_eq!(edit_distance("sine", "sin"), 1);
        assert_eq!(edit_distance("arcsin", "asin"), 2);
        assert_eq!(edit_distance("", "abs"), 3);
    }

    #[test]
    fn closest_names_for_typos() {
        assert_eq!(closest_function_names("sine")[0], "sin");
        assert_eq!(closest_function_names("sqr"), vec!["sqrt"]);
        assert!(closest_function_names("zzzzzz").is_empty());
    }

    #[test]
    fn function_names_unique() {
        for (i, function) in FUNCTIONS.iter().enumerate() {
            assert!(
                FUNCTIONS[..i]
                    .iter()
                    .all(|other| other.name != function.name),
                "{} is listed twice",
                function.name
            );
        }
    }
}
