//! The syntax tree, stored as an arena, and constant folding.
//!
//! Nodes refer to their children by index, and the parser pushes every
//! node after its children. So children always have smaller indices than
//! their parent, and a single forward pass visits operands before the
//! operations on them. No pass over the tree recurses, and dropping it
//! frees one vector, so a tree of any depth is safe for the stack.

use super::ops::{self, BinaryOp, UnaryOp};

/// Index of a node in `Ast::nodes`.
pub(crate) type NodeId = usize;

/// A variable of the expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Variable {
    X,
    Y,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Node {
    Number(f64),
    Variable(Variable),
    Unary(UnaryOp, NodeId),
    Binary(BinaryOp, NodeId, NodeId),
    /// `if(condition, if_true, if_false)`.
    Select(NodeId, NodeId, NodeId),
}

/// A parsed expression: the node arena and the index of the root.
#[derive(Clone, Debug, Default)]
pub(crate) struct Ast {
    pub(crate) nodes: Vec<Node>,
    pub(crate) root: NodeId,
}

impl Ast {
    /// Appends a node whose children are already in the arena and returns
    /// its index.
    pub(crate) fn push(&mut self, node: Node) -> NodeId {
        debug_assert!(children(&node)
            .iter()
            .flatten()
            .all(|&child| child < self.nodes.len()));
        self.nodes.push(node);
        self.nodes.len() - 1
    }

    /// Replaces every operation whose operands are all numbers by its value,
    /// computed with the same functions as the compiled program, so folding
    /// never changes a result. An `if` with a constant condition becomes
    /// the branch that it selects.
    ///
    /// Folding does not reassociate: `x + 1 + 2` is `(x + 1) + 2` and keeps
    /// both additions, because reassociating would change rounding.
    pub(crate) fn fold_constants(&mut self) {
        for index in 0..self.nodes.len() {
            let number = |id: NodeId| match self.nodes[id] {
                Node::Number(value) => Some(value),
                _ => None,
            };
            let folded = match self.nodes[index] {
                Node::Number(_) | Node::Variable(_) => None,
                Node::Unary(op, a) => number(a).map(|a| Node::Number(op.apply(a))),
                Node::Binary(op, a, b) => match (number(a), number(b)) {
                    (Some(a), Some(b)) => Some(Node::Number(op.apply(a, b))),
                    _ => None,
                },
                Node::Select(condition, if_true, if_false) => number(condition).map(|condition| {
                    // The chosen branch has a smaller index, so it is already
                    // folded. Its copy replaces the `if`, and compilation
                    // skips the original, which is now unreachable.
                    let branch = if ops::select(condition, 1.0, 0.0) == 1.0 {
                        if_true
                    } else {
                        if_false
                    };
                    self.nodes[branch]
                }),
            };
            if let Some(node) = folded {
                self.nodes[index] = node;
            }
        }
    }
}

/// Returns the children of a node in evaluation order.
pub(crate) fn children(node: &Node) -> [Option<NodeId>; 3] {
    match *node {
        Node::Number(_) | Node::Variable(_) => [None, None, None],
        Node::Unary(_, a) => [Some(a), None, None],
        Node::Binary(_, a, b) => [Some(a), Some(b), None],
        Node::Select(condition, if_true, if_false) => {
            [Some(condition), Some(if_true), Some(if_false)]
        }
    }
}
