//! Compilation of an `Ast` to a stack program, and its two interpreters.
//!
//! The scalar interpreter evaluates one point. The chunked interpreter runs
//! each instruction over up to `CHUNK` points at once, with a stack of
//! arrays, so the dispatch cost of an instruction is shared by the chunk.
//! Both call the same `apply` functions in the same order, so they return
//! the same bits.

use super::ast::{children, Ast, Node, Variable};
use super::ops::{self, BinaryOp, UnaryOp};

/// Number of points that the chunked interpreter processes per instruction.
pub(crate) const CHUNK: usize = 64;

/// Stack depth up to which the scalar interpreter uses an array on the
/// call stack instead of allocating.
const INLINE_STACK: usize = 32;

#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Instruction {
    /// Pushes a constant.
    Const(f64),
    /// Pushes the value of a variable.
    Load(Variable),
    /// Replaces the top value `a` by `op(a)`.
    Unary(UnaryOp),
    /// Pops `b`, then replaces the top value `a` by `op(a, b)`.
    Binary(BinaryOp),
    /// Pops `if_false` and `if_true`, then replaces the condition below
    /// them by the selected value.
    Select,
}

impl Instruction {
    /// Returns how many values the instruction pops and pushes.
    fn stack_effect(self) -> (usize, usize) {
        match self {
            Instruction::Const(_) | Instruction::Load(_) => (0, 1),
            Instruction::Unary(_) => (1, 1),
            Instruction::Binary(_) => (2, 1),
            Instruction::Select => (3, 1),
        }
    }
}

/// A compiled expression: instructions in postfix order, which leave
/// exactly one value on the stack.
#[derive(Clone, Debug)]
pub(crate) struct Program {
    instructions: Vec<Instruction>,
    /// Largest stack size reached while running the instructions.
    max_stack: usize,
}

impl Program {
    /// Compiles the tree reachable from `ast.root` into postfix order.
    ///
    /// Walks the tree with an explicit stack, so deep trees such as the
    /// left spine of `x+x+...+x` need no recursion.
    pub(crate) fn compile(ast: &Ast) -> Program {
        let mut instructions = Vec::new();
        // (node, children already emitted)
        let mut pending = vec![(ast.root, false)];
        while let Some((id, children_done)) = pending.pop() {
            let node = ast.nodes[id];
            if !children_done {
                pending.push((id, true));
                for child in children(&node).into_iter().flatten().rev() {
                    pending.push((child, false));
                }
                continue;
            }
            instructions.push(match node {
                Node::Number(value) => Instruction::Const(value),
                Node::Variable(variable) => Instruction::Load(variable),
                Node::Unary(op, _) => Instruction::Unary(op),
                Node::Binary(op, _, _) => Instruction::Binary(op),
                Node::Select(..) => Instruction::Select,
            });
        }

        let mut size = 0;
        let mut max_stack = 0;
        for instruction in &instructions {
            let (pops, pushes) = instruction.stack_effect();
            size = size - pops + pushes;
            max_stack = max_stack.max(size);
        }
        debug_assert_eq!(size, 1, "a compiled program must leave one value");
        Program {
            instructions,
            max_stack,
        }
    }

    /// Number of instructions.
    pub(crate) fn len(&self) -> usize {
        self.instructions.len()
    }

    /// Evaluates the program at one point.
    pub(crate) fn eval(&self, point: [f64; 2]) -> f64 {
        if self.max_stack <= INLINE_STACK {
            let mut stack = [0.0; INLINE_STACK];
            self.eval_with_stack(point, &mut stack)
        } else {
            let mut stack = vec![0.0; self.max_stack];
            self.eval_with_stack(point, &mut stack)
        }
    }

    /// Evaluates at one point using `stack`, which must hold at least
    /// `max_stack` values.
    fn eval_with_stack(&self, [x, y]: [f64; 2], stack: &mut [f64]) -> f64 {
        // Number of values on the stack.
        let mut size = 0;
        for &instruction in &self.instructions {
            match instruction {
                Instruction::Const(value) => {
                    stack[size] = value;
                    size += 1;
                }
                Instruction::Load(variable) => {
                    stack[size] = match variable {
                        Variable::X => x,
                        Variable::Y => y,
                    };
                    size += 1;
                }
                Instruction::Unary(op) => {
                    stack[size - 1] = op.apply(stack[size - 1]);
                }
                Instruction::Binary(op) => {
                    size -= 1;
                    stack[size - 1] = op.apply(stack[size - 1], stack[size]);
                }
                Instruction::Select => {
                    size -= 2;
                    stack[size - 1] = ops::select(stack[size - 1], stack[size], stack[size + 1]);
                }
            }
        }
        stack[0]
    }

    /// Evaluates the program at each point, writing `out[i]` for
    /// `points[i]`. The caller passes slices of equal length.
    pub(crate) fn eval_many(&self, points: &[[f64; 2]], out: &mut [f64]) {
        debug_assert_eq!(points.len(), out.len());
        let mut stack = vec![[0.0; CHUNK]; self.max_stack];
        for (points, out) in points.chunks(CHUNK).zip(out.chunks_mut(CHUNK)) {
            self.eval_chunk(points, &mut stack);
            out.copy_from_slice(&stack[0][..out.len()]);
        }
    }

    /// Evaluates at up to `CHUNK` points, leaving the results in the first
    /// lanes of `stack[0]`.
    fn eval_chunk(&self, points: &[[f64; 2]], stack: &mut [[f64; CHUNK]]) {
        let lanes = points.len();
        let mut size = 0;
        for &instruction in &self.instructions {
            match instruction {
                Instruction::Const(value) => {
                    stack[size][..lanes].fill(value);
                    size += 1;
                }
                Instruction::Load(variable) => {
                    let axis = match variable {
                        Variable::X => 0,
                        Variable::Y => 1,
                    };
                    for (slot, point) in stack[size][..lanes].iter_mut().zip(points) {
                        *slot = point[axis];
                    }
                    size += 1;
                }
                Instruction::Unary(op) => {
                    apply_unary(op, &mut stack[size - 1][..lanes]);
                }
                Instruction::Binary(op) => {
                    size -= 1;
                    let (below, top) = stack.split_at_mut(size);
                    apply_binary(op, &mut below[size - 1][..lanes], &top[0][..lanes]);
                }
                Instruction::Select => {
                    size -= 2;
                    let (below, top) = stack.split_at_mut(size);
                    let condition = &mut below[size - 1][..lanes];
                    let (if_true, if_false) = (&top[0][..lanes], &top[1][..lanes]);
                    for ((c, &a), &b) in condition.iter_mut().zip(if_true).zip(if_false) {
                        *c = ops::select(*c, a, b);
                    }
                }
            }
        }
    }
}

/// Applies `op` to every lane. The `match` sits outside the loop, and each
/// arm calls `apply` with a constant operation, so the compiler inlines one
/// operation per loop and can vectorize the arithmetic ones.
fn apply_unary(op: UnaryOp, values: &mut [f64]) {
    macro_rules! each_op {
        ($($variant:ident),* $(,)?) => {
            match op {
                $(UnaryOp::$variant => {
                    for value in values.iter_mut() {
                        *value = UnaryOp::$variant.apply(*value);
                    }
                })*
            }
        };
    }
    each_op!(
        Neg, Abs, Sqrt, Exp, Ln, Sin, Cos, Tan, Floor, Ceil, Round, Sign, Atan, Tanh, Cosh, Sinh,
        Asin, Acos,
    )
}

/// Replaces each lane of `left` by `op(left, right)`, dispatching once as
/// `apply_unary` does.
fn apply_binary(op: BinaryOp, left: &mut [f64], right: &[f64]) {
    macro_rules! each_op {
        ($($variant:ident),* $(,)?) => {
            match op {
                $(BinaryOp::$variant => {
                    for (a, &b) in left.iter_mut().zip(right) {
                        *a = BinaryOp::$variant.apply(*a, b);
                    }
                })*
            }
        };
    }
    each_op!(
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
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::{lexer, parser};

    fn parse_unfolded(source: &str) -> Ast {
        let chars: Vec<char> = source.chars().collect();
        let (tokens, lexer_error) = lexer::tokenize(&chars);
        match parser::parse_tokens(&chars, &tokens, lexer_error, 2) {
            Ok(ast) => ast,
            Err(error) => panic!("{source:?} was rejected: {error}"),
        }
    }

    #[test]
    fn program_in_postfix_order() {
        let program = Program::compile(&parse_unfolded("x - 2*y"));
        assert_eq!(
            program.instructions,
            vec![
                Instruction::Load(Variable::X),
                Instruction::Const(2.0),
                Instruction::Load(Variable::Y),
                Instruction::Binary(BinaryOp::Mul),
                Instruction::Binary(BinaryOp::Sub),
            ]
        );
        assert_eq!(program.max_stack, 3);
    }

    #[test]
    fn min_chain_needs_two_slots() {
        let program = Program::compile(&parse_unfolded("min(x, y, 1, 2, 3, 4, 5, 6)"));
        assert_eq!(program.max_stack, 2);
        assert_eq!(program.len(), 15);
    }

    #[test]
    fn folding_preserves_bits() {
        let sources = [
            "1/3 + x",
            "2^-1 * sin(7*0.3) - x",
            "if(1 < 2, x, y) + if(0/0, 1, 2)",
            "min(1, 2, x, 0/0) + max(-0, 0)",
            "ln(-1) + x",
            "exp(710) * x",
            "sign(-0) + sqrt(2)^2 - atan(1)*4",
            "-(-(0.1 + 0.2)) - 0.3",
            "(2 > 1) + (2 != 2) + round(2.5) + floor(-0.5) + ceil(-0.5)",
            "tanh(x) + cosh(1) + sinh(1) + asin(0.5) + acos(0.5) + tan(1)",
        ];
        let points = [[0.0, 0.0], [0.3, -0.7], [-1.5, 2.0], [f64::NAN, 1.0]];
        for source in sources {
            let ast = parse_unfolded(source);
            let plain = Program::compile(&ast);
            let mut folded_ast = ast.clone();
            folded_ast.fold_constants();
            let folded = Program::compile(&folded_ast);
            assert!(folded.len() < plain.len(), "{source}: nothing was folded");
            for point in points {
                let (a, b) = (folded.eval(point), plain.eval(point));
                assert!(
                    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()),
                    "{source} at {point:?}: folded {a:?}, unfolded {b:?}"
                );
            }
        }
    }
}
