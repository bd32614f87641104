//! Changes of one state key from a control, validated like a link.
//!
//! The new value replaces the key's pair in the canonical fragment of the
//! current state, and the result is decoded leniently, so a control can
//! never produce a state that a link could not.

use crate::codec::{decode_fragment, encode_fragment};
use crate::state::{max_depth, Family, State, MAX_DEPTH_1D, MAX_DEPTH_2D, MAX_EXPR_CHARS};

/// Longest control value applied, in characters: the maximum length of an
/// expression, far more than any number needs. A longer value is rejected
/// before decoding, because the decoder reads only the first
/// `MAX_FRAGMENT_BYTES` of a fragment and would drop the edited pair
/// together with every pair after it, the expression included.
const MAX_VALUE_CHARS: usize = MAX_EXPR_CHARS;

/// The state after an edit, and sentences about every adjustment made.
#[derive(Clone, Debug, PartialEq)]
pub struct Edit {
    /// The new state, valid in every field.
    pub state: State,
    /// Adjustments: the value clamped or replaced, and depth or level
    /// lowered to fit the new dimension, base or depth.
    pub notices: Vec<String>,
}

/// Applies `value` to `key` of `state`. An unknown key or a value of more
/// than `MAX_VALUE_CHARS` characters leaves the state unchanged with a
/// notice. Setting `expr` also selects the custom target.
pub fn edit_state(state: &State, key: &str, value: &str) -> Edit {
    let chars = value.chars().count();
    if chars > MAX_VALUE_CHARS {
        return Edit {
            state: state.clone(),
            notices: vec![format!(
                "The value entered for {key} has {chars} characters, more than the maximum \
                 {MAX_VALUE_CHARS}, so it is not applied and nothing changed."
            )],
        };
    }

    let fragment = encode_fragment(state);
    let mut found = false;
    let mut pairs: Vec<String> = Vec::new();
    for pair in fragment.split('&') {
        let name = pair.split_once('=').map_or(pair, |(name, _)| name);
        if name == key {
            pairs.push(format!("{key}={}", percent_encode(value)));
            found = true;
        } else if key == "expr" && name == "target" {
            pairs.push(format!("target={}", Family::Custom.id()));
        } else {
            pairs.push(pair.to_string());
        }
    }
    if !found {
        return Edit {
            state: state.clone(),
            notices: vec![format!(
                "There is no setting named '{key}'; nothing changed."
            )],
        };
    }

    let decoded = decode_fragment(&pairs.join("&"));
    let mut notices: Vec<String> = decoded
        .notices
        .iter()
        .filter(|notice| notice.key == key || notice.key.is_empty())
        .map(|notice| notice.message.clone())
        .collect();
    let new = decoded.state;

    if key != "depth" && new.depth < state.depth {
        notices.push(format!(
            "depth is now {}, the largest allowed for d = {} and N = {}: \
             depth is at most {MAX_DEPTH_1D} in 1D and {MAX_DEPTH_2D} in 2D, \
             and N^depth at most 2^40 so that cells stay wider than double precision resolves.",
            max_depth(new.d, new.n, new.mode),
            new.d,
            new.n
        ));
    }
    if key != "level" && new.level < state.level {
        notices.push(format!(
            "level is now {}, because it cannot exceed the depth.",
            new.level
        ));
    }
    Edit {
        state: new,
        notices,
    }
}

/// Percent-encodes every byte outside the unreserved set of RFC 3986.
pub fn percent_encode(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                encoded.push(byte as char)
            }
            _ => encoded.push_str(&format!("%{byte:02X}")),
        }
    }
    encoded
}
