//! Parser from tokens to an `Ast`, without recursion.
//!
//! This is a shunting-yard parser. Operands and pending operators live on
//! two explicit stacks, and each '(' or function call pushes a marker onto
//! the operator stack until its ')'. So the parser uses the same amount of
//! call stack for every input, however deeply it nests. `MAX_NESTING_DEPTH`
//! still limits nesting, which bounds the heap stacks here and the value
//! stack of the compiled program.

use super::ast::{Ast, Node, NodeId, Variable};
use super::diagnostics::{self, describe};
use super::functions::{find_function, Function, FunctionKind};
use super::lexer::{Token, TokenKind};
use super::ops::{BinaryOp, UnaryOp};
use super::{ParseError, MAX_NESTING_DEPTH};

/// Binding strengths, from loosest to tightest.
const COMPARISON: u8 = 1;
const SUM: u8 = 2;
const PRODUCT: u8 = 3;
const SIGN: u8 = 4;
const POWER: u8 = 5;

/// Parses a token list that `tokenize` produced from `chars` into a tree.
///
/// `lexer_error` is the error that stopped tokenizing, if any. Then
/// `tokens` has no `End` token, and the parser reports `lexer_error` when it
/// needs the token after the last one. So a syntax error before the bad
/// character wins, and every report names the leftmost problem.
pub(crate) fn parse_tokens(
    chars: &[char],
    tokens: &[Token],
    lexer_error: Option<ParseError>,
    dim: usize,
) -> Result<Ast, ParseError> {
    let mut parser = Parser {
        chars,
        tokens,
        lexer_error,
        next: 0,
        dim,
        ast: Ast::default(),
        operands: Vec::new(),
        pending: Vec::new(),
        depth: 0,
        top_level_comparison_seen: false,
    };
    if parser.peek()?.kind == TokenKind::End {
        return Err(ParseError::new(
            0,
            "empty expression; enter a formula such as sin(x)",
        ));
    }
    let root = parser.run()?;
    let mut ast = parser.ast;
    ast.root = root;
    Ok(ast)
}

/// An entry of the operator stack.
#[derive(Clone, Copy, Debug)]
enum Pending {
    /// A binary operator waiting for its right operand.
    Binary(BinaryOp, u8),
    /// A prefix sign, `true` for '-', waiting for its operand.
    Sign(bool),
    /// A '^' waiting for its exponent.
    Power,
    /// An open '(' at char `open`.
    Group { open: usize, comparison_seen: bool },
    /// An open call of `function`, whose name starts at `name_position` and
    /// whose '(' is at `open`. `arguments` counts the completed arguments.
    Call {
        function: &'static Function,
        name_position: usize,
        open: usize,
        arguments: usize,
        comparison_seen: bool,
    },
}

impl Pending {
    /// Returns the binding strength of an operator, or None for the
    /// markers of '(' and calls, which only a ')' or ',' removes.
    fn precedence(self) -> Option<u8> {
        match self {
            Pending::Binary(_, precedence) => Some(precedence),
            Pending::Sign(_) => Some(SIGN),
            Pending::Power => Some(POWER),
            Pending::Group { .. } | Pending::Call { .. } => None,
        }
    }
}

struct Parser<'a> {
    /// The source text, for quoting tokens in messages.
    chars: &'a [char],
    tokens: &'a [Token],
    lexer_error: Option<ParseError>,
    /// Index of the next unread token.
    next: usize,
    dim: usize,
    ast: Ast,
    operands: Vec<NodeId>,
    pending: Vec<Pending>,
    /// Number of open signs, '^', '(' and calls on `pending`.
    depth: usize,
    /// Whether the expression outside all parentheses has a comparison.
    top_level_comparison_seen: bool,
}

impl<'a> Parser<'a> {
    /// Returns the next token without consuming it, or the lexer error once
    /// the tokens before it are used up.
    fn peek(&self) -> Result<&'a Token, ParseError> {
        match self.tokens.get(self.next) {
            Some(token) => Ok(token),
            None => Err(self.lexer_error.clone().unwrap_or_else(|| {
                // An error-free token list ends with End, which `run` never
                // consumes, so this is unreachable. Report it rather than
                // panic.
                ParseError::new(0, "internal error: the token list has no end")
            })),
        }
    }

    /// Returns the token after the next one, if the lexer produced it.
    fn peek_second(&self) -> Option<&'a Token> {
        self.tokens.get(self.next + 1)
    }

    /// Returns true if the next token is ')'. Unlike `peek`, never returns
    /// the lexer error.
    fn next_is_close_paren(&self) -> bool {
        self.tokens
            .get(self.next)
            .is_some_and(|next| next.kind == TokenKind::CloseParen)
    }

    fn advance(&mut self) {
        self.next += 1;
    }

    /// Returns the last consumed token, if any.
    fn previous(&self) -> Option<&'a Token> {
        self.next
            .checked_sub(1)
            .and_then(|index| self.tokens.get(index))
    }

    /// Opens one level of nesting for the token at `position`.
    fn open_level(&mut self, position: usize) -> Result<(), ParseError> {
        if self.depth >= MAX_NESTING_DEPTH {
            return Err(diagnostics::nested_too_deeply(position, MAX_NESTING_DEPTH));
        }
        self.depth += 1;
        Ok(())
    }

    /// Runs the parser over all tokens and returns the root node.
    ///
    /// The parser alternates between expecting an operand (a number, name,
    /// call, '(' or prefix sign) and expecting an operator (a binary
    /// operator, '^', ',', ')' or the end).
    fn run(&mut self) -> Result<NodeId, ParseError> {
        let mut expect_operand = true;
        loop {
            let token = self.peek()?;
            if expect_operand {
                expect_operand = self.operand(token)?;
            } else if token.kind == TokenKind::End {
                return self.finish();
            } else {
                expect_operand = self.operator(token)?;
            }
        }
    }

    /// Consumes a token where an operand must start. Returns whether an
    /// operand is still expected, which is the case after a sign or '('.
    fn operand(&mut self, token: &'a Token) -> Result<bool, ParseError> {
        match &token.kind {
            TokenKind::Minus | TokenKind::Plus => {
                self.open_level(token.start)?;
                self.advance();
                self.pending
                    .push(Pending::Sign(token.kind == TokenKind::Minus));
                Ok(true)
            }
            TokenKind::Number(value) => {
                self.advance();
                self.push_operand(Node::Number(*value));
                Ok(false)
            }
            TokenKind::Name(name) => {
                // Check for '(' without raising a lexer error, so that an
                // unknown name before an invalid character is reported first.
                let next_is_open = self
                    .peek_second()
                    .is_some_and(|next| next.kind == TokenKind::OpenParen);
                if next_is_open {
                    self.open_call(name, token)?;
                    return Ok(true);
                }
                let node = self.resolve_name(name, token.start)?;
                self.advance();
                self.push_operand(node);
                Ok(false)
            }
            TokenKind::OpenParen => {
                self.open_level(token.start)?;
                self.advance();
                if self.next_is_close_paren() {
                    return Err(ParseError::new(
                        token.start,
                        "empty parentheses; write an expression between ( and )",
                    ));
                }
                self.pending.push(Pending::Group {
                    open: token.start,
                    comparison_seen: false,
                });
                Ok(true)
            }
            _ => Err(diagnostics::missing_operand(
                self.chars,
                self.previous(),
                token,
            )),
        }
    }

    /// Consumes a function name and its '(' and opens the call.
    fn open_call(&mut self, name: &str, name_token: &Token) -> Result<(), ParseError> {
        let function = find_function(name)
            .ok_or_else(|| diagnostics::not_a_function(name, name_token.start, self.dim))?;
        self.advance();
        let open = self.peek()?;
        self.open_level(open.start)?;
        self.advance();
        if self.next_is_close_paren() {
            // No function takes zero arguments, so this always fails.
            function
                .check_argument_count(0)
                .map_err(|message| ParseError::new(name_token.start, message))?;
        }
        self.pending.push(Pending::Call {
            function,
            name_position: name_token.start,
            open: open.start,
            arguments: 0,
            comparison_seen: false,
        });
        Ok(())
    }

    /// Resolves a name that is not followed by '('.
    fn resolve_name(&self, name: &str, position: usize) -> Result<Node, ParseError> {
        match name {
            "x" => Ok(Node::Variable(Variable::X)),
            "y" if self.dim == 2 => Ok(Node::Variable(Variable::Y)),
            "pi" => Ok(Node::Number(std::f64::consts::PI)),
            "e" => Ok(Node::Number(std::f64::consts::E)),
            _ => Err(diagnostics::unknown_name(name, position, self.dim)),
        }
    }

    /// Consumes a token that follows a complete operand. Returns whether an
    /// operand is expected next.
    fn operator(&mut self, token: &'a Token) -> Result<bool, ParseError> {
        if let Some((op, precedence)) = binary_operator(&token.kind) {
            // All binary operators are left-associative, so pending
            // operators of equal or higher precedence apply first.
            self.reduce_while(|pending| pending >= precedence)?;
            if precedence == COMPARISON {
                self.check_comparison_chain(token)?;
            }
            self.advance();
            self.pending.push(Pending::Binary(op, precedence));
            return Ok(true);
        }
        match token.kind {
            TokenKind::Caret => {
                // '^' is right-associative and binds tightest, so nothing
                // pending applies before it.
                self.open_level(token.start)?;
                self.advance();
                self.pending.push(Pending::Power);
                Ok(true)
            }
            TokenKind::CloseParen => {
                self.reduce_while(|_| true)?;
                match self.pending.pop() {
                    Some(Pending::Group { .. }) => {
                        self.depth -= 1;
                        self.advance();
                        Ok(false)
                    }
                    Some(Pending::Call {
                        function,
                        name_position,
                        arguments,
                        ..
                    }) => {
                        self.depth -= 1;
                        self.advance();
                        self.finish_call(function, name_position, arguments + 1)?;
                        Ok(false)
                    }
                    _ => Err(ParseError::new(
                        token.start,
                        "unexpected ')' without a matching '('",
                    )),
                }
            }
            TokenKind::Comma => {
                self.reduce_while(|_| true)?;
                match self.pending.last_mut() {
                    Some(Pending::Call {
                        arguments,
                        comparison_seen,
                        ..
                    }) => {
                        *arguments += 1;
                        *comparison_seen = false;
                        self.advance();
                        Ok(true)
                    }
                    Some(_) => Err(ParseError::new(
                        token.start,
                        "unexpected ','; commas only separate the arguments of a function call",
                    )),
                    None => Err(diagnostics::comma_outside_call(self.previous(), token)),
                }
            }
            TokenKind::Number(_) | TokenKind::Name(_) | TokenKind::OpenParen => {
                Err(diagnostics::implicit_multiplication(
                    self.chars,
                    self.previous(),
                    token,
                    self.peek_second(),
                ))
            }
            _ => Err(ParseError::new(
                token.start,
                format!(
                    "unexpected {} after a complete operand",
                    describe(self.chars, token)
                ),
            )),
        }
    }

    /// Rejects a second comparison in the same parentheses or argument,
    /// because `0 < x < 1` would silently mean `(0 < x) < 1`.
    fn check_comparison_chain(&mut self, token: &Token) -> Result<(), ParseError> {
        // reduce_while has removed every operator above the innermost
        // marker, so the top of the stack is that marker or nothing.
        let seen = match self.pending.last_mut() {
            Some(Pending::Group {
                comparison_seen, ..
            })
            | Some(Pending::Call {
                comparison_seen, ..
            }) => comparison_seen,
            _ => &mut self.top_level_comparison_seen,
        };
        if *seen {
            return Err(ParseError::new(
                token.start,
                "comparisons cannot be chained; write (0 < x)*(x < 1) for 0 < x < 1",
            ));
        }
        *seen = true;
        Ok(())
    }

    /// Applies pending operators from the top of the stack while their
    /// precedence satisfies `applies`, stopping at a '(' or call marker.
    fn reduce_while(&mut self, applies: impl Fn(u8) -> bool) -> Result<(), ParseError> {
        while let Some(&top) = self.pending.last() {
            match top.precedence() {
                Some(precedence) if applies(precedence) => {}
                _ => break,
            }
            self.pending.pop();
            match top {
                Pending::Binary(op, _) => {
                    let right = self.pop_operand()?;
                    let left = self.pop_operand()?;
                    self.push_operand(Node::Binary(op, left, right));
                }
                Pending::Sign(negate) => {
                    self.depth -= 1;
                    if negate {
                        let operand = self.pop_operand()?;
                        self.push_operand(Node::Unary(UnaryOp::Neg, operand));
                    }
                }
                Pending::Power => {
                    self.depth -= 1;
                    let exponent = self.pop_operand()?;
                    let base = self.pop_operand()?;
                    self.push_operand(Node::Binary(BinaryOp::Pow, base, exponent));
                }
                Pending::Group { .. } | Pending::Call { .. } => {}
            }
        }
        Ok(())
    }

    /// Applies everything pending at the end of the input and returns the
    /// root, or reports the innermost '(' that was never closed.
    fn finish(&mut self) -> Result<NodeId, ParseError> {
        self.reduce_while(|_| true)?;
        match self.pending.last() {
            None => self.pop_operand(),
            Some(&Pending::Call { function, open, .. }) => Err(ParseError::new(
                open,
                format!(
                    "missing closing parenthesis for this '(' of {}",
                    function.name
                ),
            )),
            Some(&Pending::Group { open, .. }) => Err(ParseError::new(
                open,
                "missing closing parenthesis for this '('",
            )),
            Some(_) => Err(internal_error()),
        }
    }

    /// Checks the argument count of a closed call and replaces its
    /// arguments on the operand stack by the call.
    fn finish_call(
        &mut self,
        function: &'static Function,
        name_position: usize,
        count: usize,
    ) -> Result<(), ParseError> {
        function
            .check_argument_count(count)
            .map_err(|message| ParseError::new(name_position, message))?;
        let first = self
            .operands
            .len()
            .checked_sub(count)
            .ok_or_else(internal_error)?;
        let arguments = self.operands.split_off(first);
        let node = match (function.kind, arguments.as_slice()) {
            (FunctionKind::Unary(op), &[a]) => Node::Unary(op, a),
            (FunctionKind::If, &[condition, if_true, if_false]) => {
                Node::Select(condition, if_true, if_false)
            }
            (FunctionKind::Fold(op), &[first, ref rest @ ..]) => {
                // min(a, b, c) is min(min(a, b), c): the program then needs
                // two stack slots, not one per argument.
                let mut left = first;
                for &argument in rest {
                    left = self.ast.push(Node::Binary(op, left, argument));
                }
                self.operands.push(left);
                return Ok(());
            }
            _ => return Err(internal_error()),
        };
        self.push_operand(node);
        Ok(())
    }

    fn push_operand(&mut self, node: Node) {
        let id = self.ast.push(node);
        self.operands.push(id);
    }

    fn pop_operand(&mut self) -> Result<NodeId, ParseError> {
        self.operands.pop().ok_or_else(internal_error)
    }
}

/// Returns the error for a broken parser invariant. The parser pushes an
/// operand before each operator that consumes it, so this never happens
/// unless the parser has a bug, and it is reported instead of panicking.
fn internal_error() -> ParseError {
    ParseError::new(
        0,
        "internal error: the parser lost track of an operand; please report this expression",
    )
}

/// Returns the operation and precedence of a left-associative binary
/// operator token.
fn binary_operator(kind: &TokenKind) -> Option<(BinaryOp, u8)> {
    let found = match kind {
        TokenKind::Less => (BinaryOp::Less, COMPARISON),
        TokenKind::LessEqual => (BinaryOp::LessEqual, COMPARISON),
        TokenKind::Greater => (BinaryOp::Greater, COMPARISON),
        TokenKind::GreaterEqual => (BinaryOp::GreaterEqual, COMPARISON),
        TokenKind::EqualEqual => (BinaryOp::Equal, COMPARISON),
        TokenKind::NotEqual => (BinaryOp::NotEqual, COMPARISON),
        TokenKind::Plus => (BinaryOp::Add, SUM),
        TokenKind::Minus => (BinaryOp::Sub, SUM),
        TokenKind::Star => (BinaryOp::Mul, PRODUCT),
        TokenKind::Slash => (BinaryOp::Div, PRODUCT),
        _ => return None,
    };
    Some(found)
}
