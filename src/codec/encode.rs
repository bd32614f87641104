//! Canonical encoding of a `State` as a URL fragment.

use super::keys::Key;
use super::percent::percent_encode;
use super::values::format_number;
use crate::state::{State, FORMAT_VERSION};

/// Encodes `state` as a fragment without the leading `#`, with every key in
/// the fixed order `v, d, n, depth, level, target, alpha, p, psi, mode, eta,
/// eps, expr`.
///
/// Floats are written in their shortest round-trip form and `expr` is
/// percent-encoded, so `decode_fragment` restores a valid state exactly and
/// without notices. The fields are written as they are: a state outside the
/// ranges gives a fragment that `decode_fragment` repairs with notices.
pub fn encode_fragment(state: &State) -> String {
    let mut fragment = String::with_capacity(160 + 3 * state.expr.len());
    for key in Key::CANONICAL {
        if !fragment.is_empty() {
            fragment.push('&');
        }
        fragment.push_str(key.name());
        fragment.push('=');
        fragment.push_str(&encode_value(state, key));
    }
    fragment
}

fn encode_value(state: &State, key: Key) -> String {
    match key {
        Key::V => FORMAT_VERSION.to_string(),
        Key::D => state.d.to_string(),
        Key::N => state.n.to_string(),
        Key::Depth => state.depth.to_string(),
        Key::Level => state.level.to_string(),
        Key::Target => state.target.id().to_string(),
        Key::Alpha => format_number(state.alpha),
        Key::P => format_number(state.p),
        Key::Psi => u8::from(state.psi).to_string(),
        Key::Mode => state.mode.id().to_string(),
        Key::Eta => format_number(state.eta),
        Key::Eps => format_number(state.eps),
        Key::Expr => percent_encode(&state.expr),
    }
}
