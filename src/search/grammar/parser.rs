//! Tokens → [`Node`]: OR binds loosest, then AND (written or implied by
//! juxtaposition), then NOT and parentheses. Nesting is bounded so that no
//! query can exhaust the stack.

use super::Node;
use super::lexer::Tok;
use crate::error::QueryError;

/// Parentheses nested deeper than this are refused rather than recursed into.
const MAX_DEPTH: usize = 64;

pub(super) fn parse(tokens: Vec<Tok>) -> Result<Node, QueryError> {
    let mut parser = Parser { tokens, pos: 0 };
    let node = parser.or_expr(0)?;
    match parser.tokens.get(parser.pos) {
        None => Ok(node),
        Some(Tok::RParen { at }) => Err(QueryError::StrayParenthesis { at: *at }),
        Some(_) => Err(QueryError::TrailingText),
    }
}

struct Parser {
    tokens: Vec<Tok>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.pos)
    }

    fn or_expr(&mut self, depth: usize) -> Result<Node, QueryError> {
        let mut alternatives = vec![self.and_expr(depth)?];
        while let Some(Tok::Or { at }) = self.peek() {
            let at = *at;
            self.pos += 1;
            if self.at_end_of_group() {
                return Err(QueryError::MissingOperand { operator: "OR", at });
            }
            alternatives.push(self.and_expr(depth)?);
        }
        Ok(if alternatives.len() == 1 {
            alternatives.pop().unwrap_or(Node::All)
        } else {
            Node::Or(alternatives)
        })
    }

    fn at_end_of_group(&self) -> bool {
        matches!(
            self.peek(),
            None | Some(Tok::RParen { .. }) | Some(Tok::Or { .. }) | Some(Tok::And { .. })
        )
    }

    fn and_expr(&mut self, depth: usize) -> Result<Node, QueryError> {
        let mut parts = Vec::new();
        loop {
            match self.peek() {
                None | Some(Tok::RParen { .. }) | Some(Tok::Or { .. }) => break,
                Some(Tok::And { at }) => {
                    let at = *at;
                    self.pos += 1;
                    if parts.is_empty() || self.at_end_of_group() {
                        return Err(QueryError::MissingOperand {
                            operator: "AND",
                            at,
                        });
                    }
                }
                Some(_) => parts.push(self.unary(depth)?),
            }
        }
        match parts.len() {
            0 => Err(match self.peek() {
                Some(Tok::Or { at }) => QueryError::MissingOperand {
                    operator: "OR",
                    at: *at,
                },
                Some(Tok::RParen { at }) => QueryError::EmptyParentheses { at: *at },
                _ => QueryError::NothingToSearch,
            }),
            1 => Ok(parts.pop().unwrap_or(Node::All)),
            _ => Ok(Node::And(parts)),
        }
    }

    fn unary(&mut self, depth: usize) -> Result<Node, QueryError> {
        if depth > MAX_DEPTH {
            return Err(QueryError::TooDeep { max: MAX_DEPTH });
        }
        match self.tokens.get(self.pos).cloned() {
            Some(Tok::Not { at }) => {
                self.pos += 1;
                if self.at_end_of_group() {
                    return Err(QueryError::NothingToNegate { at });
                }
                Ok(Node::Not(Box::new(self.unary(depth + 1)?)))
            }
            Some(Tok::LParen { negated, at }) => {
                self.pos += 1;
                let inner = self.or_expr(depth + 1)?;
                match self.peek() {
                    Some(Tok::RParen { .. }) => self.pos += 1,
                    _ => return Err(QueryError::UnclosedParenthesis { at }),
                }
                Ok(if negated {
                    Node::Not(Box::new(inner))
                } else {
                    inner
                })
            }
            Some(Tok::Term { negated, node }) => {
                self.pos += 1;
                Ok(if negated {
                    Node::Not(Box::new(node))
                } else {
                    node
                })
            }
            _ => Err(QueryError::ExpectedTerm),
        }
    }
}
