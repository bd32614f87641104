//! URL fragment codec for `State` (lenient, for links) and strict
//! key/value setters (for the command line).
//!
//! # Format
//!
//! A fragment is a list of `key=value` pairs joined by `&`, with the keys of
//! `State` and a format version `v`:
//!
//! ```text
//! #v=1&d=1&n=3&depth=5&target=weierstrass&alpha=0.5&p=2&level=3
//! ```
//!
//! | key | value |
//! |---|---|
//! | `v` | format version, 1 |
//! | `d` | dimension, 1 or 2 |
//! | `n` | grid base, an integer from 2 to 16 |
//! | `depth` | an integer from 1 to `max_depth(d, n, mode)` |
//! | `level` | an integer from 1 to `depth` |
//! | `target` | `weierstrass`, `cusp`, `jump`, `kink`, `sine`, `cone` or `custom` |
//! | `expr` | percent-encoded expression text, at most `MAX_EXPR_CHARS` characters; without a `target` key it selects `custom` |
//! | `alpha`, `p`, `eta`, `eps` | decimal numbers within `ALPHA_RANGE`, `P_RANGE`, `ETA_RANGE`, `EPS_RANGE` |
//! | `mode` | `ideal` or `network` |
//! | `psi` | `0` or `1` |
//!
//! `encode_fragment` writes every key in one fixed order, floats in their
//! shortest round-trip form, and `expr` percent-encoded, so that
//! `decode_fragment` restores a valid state exactly.
//!
//! ```
//! use layerwise::codec::{decode_fragment, encode_fragment};
//!
//! let link = "#v=1&d=1&n=3&depth=5&target=weierstrass&alpha=0.5&p=2&level=3";
//! let decoded = decode_fragment(link);
//! assert!(decoded.notices.is_empty());
//! assert_eq!(decoded.state.depth, 5);
//!
//! // 16^12 exceeds 2^40, so the depth is lowered with a notice.
//! let repaired = decode_fragment("#n=16&depth=12");
//! assert_eq!(repaired.state.depth, 10);
//! assert_eq!(repaired.notices[0].key, "depth");
//!
//! let fragment = encode_fragment(&repaired.state);
//! assert!(fragment.starts_with("v=1&d=1&n=16&depth=10&level=3&"));
//! assert_eq!(decode_fragment(&fragment).state, repaired.state);
//! ```
//!
//! # Leniency of `decode_fragment`
//!
//! A link is input from anyone, so decoding never fails. It repairs what it
//! can, and every repair adds a `Notice`:
//!
//! - Only the first `MAX_FRAGMENT_BYTES` bytes are read, up to the last
//!   complete pair.
//! - Keys and values are percent-decoded as UTF-8. A stray `%` stays
//!   literal, invalid UTF-8 becomes U+FFFD, and `+` is a plus, not a space.
//! - Unknown keys and pairs without `=` or without a key are ignored. When a
//!   key repeats, its last value wins.
//! - A missing `v` means version 1, and a newer version is read as far as
//!   its keys are known.
//! - Numbers that do not parse, NaN and infinities become the default.
//!   Fractional integers are rounded, and values out of range are clamped.
//! - Unknown `target`, `mode` or `psi` values become the default.
//! - Control characters are removed from `expr`, and a longer text is cut
//!   to `MAX_EXPR_CHARS` characters.
//! - `depth` is clamped to `max_depth(d, n, mode)` and then `level` to
//!   `depth`. A default that no longer fits is lowered without a notice,
//!   because the link carried no value to report.
//!
//! The strict setters share the validators but reject instead of repairing.

mod decode;
mod encode;
mod keys;
mod message;
mod pairs;
mod percent;
mod strict;
mod values;

use std::fmt;

use serde::Serialize;

use crate::state::State;

pub use decode::decode_fragment;
pub use encode::encode_fragment;
pub use strict::{check_strict, set_strict};

/// Maximum length in bytes of the fragment that `decode_fragment` reads,
/// without the leading `#`.
///
/// The longest canonical fragment has an expression of `MAX_EXPR_CHARS`
/// four-byte characters, each written as 12 bytes of `%XX` escapes, so
/// about 12.3 KB. This limit leaves room for that, so every valid state
/// survives the round trip.
pub const MAX_FRAGMENT_BYTES: usize = 16 * 1024;

/// A repair that `decode_fragment` made to a link, for the page to show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Notice {
    /// The state key that the notice is about, which is also its control id,
    /// or empty when it is about the link as a whole (its length, unknown
    /// keys, malformed pairs).
    pub key: String,
    /// One plain-text sentence that names the key, echoes the value as
    /// received (escaped and shortened) and states what was used instead.
    pub message: String,
}

/// The result of `decode_fragment`: a valid state and the repairs made.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Decoded {
    /// State with every field within its range.
    pub state: State,
    /// Repairs, in the order they were made. Empty for any fragment that
    /// `encode_fragment` wrote for a valid state.
    pub notices: Vec<Notice>,
}

/// A value that a strict setter or `check_strict` rejected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidValue {
    /// The key as given, without `--`.
    pub key: String,
    /// Error message that names the option as `--key`, the value and the
    /// accepted values.
    pub message: String,
}

impl fmt::Display for InvalidValue {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.message)
    }
}

impl std::error::Error for InvalidValue {}
