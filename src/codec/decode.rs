//! Lenient decoding of a URL fragment into a valid `State`.

use super::keys::Key;
use super::message::{echo, plural, quote, MAX_ECHOED_VALUE_CHARS};
use super::pairs::{collect_pairs, cut_to_size_limit, ReceivedValues};
use super::percent::percent_decode;
use super::values::{
    depth_bounds, format_number, level_bounds, parse_number, parse_switch, read_expr, read_float,
    read_integer, IntegerBounds, Side,
};
use super::{Decoded, Notice};
use crate::state::{
    Family, Mode, State, ALPHA_RANGE, EPS_RANGE, ETA_RANGE, FORMAT_VERSION, MAX_EXPR_CHARS,
    N_RANGE, P_RANGE,
};

/// Decodes a URL fragment, with or without the leading `#`, into a valid
/// state and the notices that describe every repair.
///
/// Never panics, and the state always satisfies every range of `State`,
/// `max_depth` and `1 ≤ level ≤ depth`, whatever the input. Keys that the
/// fragment does not give keep their defaults. Runs in time linear in
/// `MAX_FRAGMENT_BYTES`, however long the input. The module documentation
/// lists the repairs.
pub fn decode_fragment(fragment: &str) -> Decoded {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let mut notices = Vec::new();

    let read_part = cut_to_size_limit(fragment, &mut notices);
    let received = collect_pairs(read_part, &mut notices);

    let mut reader = Reader {
        received,
        state: State::default(),
        notices,
    };
    reader.read_version();
    reader.read_keys_without_dependencies();
    reader.read_depth_and_level();

    Decoded {
        state: reader.state,
        notices: reader.notices,
    }
}

/// Builds the state from the received values and records a notice for each
/// repair.
struct Reader<'a> {
    received: ReceivedValues<'a>,
    state: State,
    notices: Vec<Notice>,
}

impl Reader<'_> {
    fn notify(&mut self, key: Key, message: String) {
        self.notices.push(Notice {
            key: key.name().to_string(),
            message,
        });
    }

    /// Returns the percent-decoded last value of `key`, or `None` when the
    /// link does not give the key. Adds notices for a repeated key and for
    /// escapes that could not be decoded.
    fn take_text(&mut self, key: Key) -> Option<String> {
        let raw = self.received.last_value[key.index()]?;
        let count = self.received.count[key.index()];
        let decoded = percent_decode(raw);
        let name = key.name();

        if count > 1 {
            let value = quote(&decoded.text, MAX_ECHOED_VALUE_CHARS);
            self.notify(
                key,
                format!("The key {name} appears {count} times, so the last value {value} is used."),
            );
        }
        if decoded.stray_percent {
            let value = quote(raw, MAX_ECHOED_VALUE_CHARS);
            self.notify(
                key,
                format!("The value {value} for {name} contains a '%' that does not start a %XX escape, so that '%' is kept as it is."),
            );
        }
        if decoded.invalid_utf8 {
            let value = quote(raw, MAX_ECHOED_VALUE_CHARS);
            self.notify(
                key,
                format!("The value {value} for {name} does not decode to valid UTF-8, so each invalid byte sequence is replaced by U+FFFD."),
            );
        }
        Some(decoded.text)
    }

    fn read_version(&mut self) {
        let Some(text) = self.take_text(Key::V) else {
            return;
        };

        let version = parse_number(&text)
            .ok()
            .filter(|version| version.fract() == 0.0 && *version >= 1.0);
        match version {
            Some(version) if version == f64::from(FORMAT_VERSION) => {}
            Some(_) => {
                let version_text = echo(&text, MAX_ECHOED_VALUE_CHARS);
                self.notify(
                    Key::V,
                    format!("The link is from a newer format (v={version_text}), so only the keys this page knows are read."),
                );
            }
            None => {
                let subject = value_subject(Key::V, &text);
                self.notify(
                    Key::V,
                    format!(
                        "{subject} is not a format version, so version {FORMAT_VERSION} is used."
                    ),
                );
            }
        }
    }

    /// Reads every key except `depth` and `level`, whose ranges depend on
    /// `d`, `n` and `mode`.
    fn read_keys_without_dependencies(&mut self) {
        self.read_grid();
        self.read_target();
        self.read_exponents();
        self.read_switch();
    }

    fn read_grid(&mut self) {
        if let Some(text) = self.take_text(Key::D) {
            let bounds = IntegerBounds::plain(1, 2);
            let default = self.state.d as u32;
            self.state.d = self.lenient_integer(Key::D, &text, &bounds, default) as usize;
        }
        if let Some(text) = self.take_text(Key::N) {
            let bounds = IntegerBounds::plain(N_RANGE.0, N_RANGE.1);
            self.state.n = self.lenient_integer(Key::N, &text, &bounds, self.state.n);
        }
        if let Some(text) = self.take_text(Key::Mode) {
            match Mode::from_id(&text) {
                Some(mode) => self.state.mode = mode,
                None => {
                    let ids = [Mode::Ideal.id(), Mode::Network.id()];
                    self.notify_unknown_id(Key::Mode, &text, &ids, self.state.mode.id());
                }
            }
        }
    }

    /// Reads `target` and `expr`. A link with an expression but no
    /// `target` key selects the custom target, as `--expr` does in the CLI.
    fn read_target(&mut self) {
        let target_text = self.take_text(Key::Target);
        let has_target = target_text.is_some();
        if let Some(text) = target_text {
            match Family::from_id(&text) {
                Some(family) => self.state.target = family,
                None => {
                    let ids = Family::ALL.map(Family::id);
                    self.notify_unknown_id(Key::Target, &text, &ids, self.state.target.id());
                }
            }
        }
        if let Some(text) = self.take_text(Key::Expr) {
            self.state.expr = self.lenient_expr(&text);
            if !has_target {
                self.state.target = Family::Custom;
            }
        }
    }

    fn read_exponents(&mut self) {
        if let Some(text) = self.take_text(Key::Alpha) {
            self.state.alpha = self.lenient_float(Key::Alpha, &text, ALPHA_RANGE, self.state.alpha);
        }
        if let Some(text) = self.take_text(Key::P) {
            self.state.p = self.lenient_float(Key::P, &text, P_RANGE, self.state.p);
        }
        if let Some(text) = self.take_text(Key::Eta) {
            self.state.eta = self.lenient_float(Key::Eta, &text, ETA_RANGE, self.state.eta);
        }
        if let Some(text) = self.take_text(Key::Eps) {
            self.state.eps = self.lenient_float(Key::Eps, &text, EPS_RANGE, self.state.eps);
        }
    }

    fn read_switch(&mut self) {
        let Some(text) = self.take_text(Key::Psi) else {
            return;
        };
        match parse_switch(&text) {
            Some(psi) => self.state.psi = psi,
            None => {
                let subject = value_subject(Key::Psi, &text);
                let default = u8::from(self.state.psi);
                self.notify(
                    Key::Psi,
                    format!("{subject} is not 0 or 1, so the default {default} is used."),
                );
            }
        }
    }

    /// Reads `depth` within `max_depth(d, n, mode)` and then `level` within
    /// the depth. A default that does not fit is lowered without a notice.
    fn read_depth_and_level(&mut self) {
        let bounds = depth_bounds(self.state.d, self.state.n, self.state.mode);
        let default_depth = self.state.depth.clamp(bounds.min, bounds.max);
        self.state.depth = match self.take_text(Key::Depth) {
            Some(text) => self.lenient_integer(Key::Depth, &text, &bounds, default_depth),
            None => default_depth,
        };

        let bounds = level_bounds(self.state.depth);
        let default_level = self.state.level.clamp(bounds.min, bounds.max);
        self.state.level = match self.take_text(Key::Level) {
            Some(text) => self.lenient_integer(Key::Level, &text, &bounds, default_level),
            None => default_level,
        };
    }

    /// Reads `text` as an integer within `bounds`: rounds and clamps with a
    /// notice, and falls back to `default` when it is not a finite number.
    fn lenient_integer(
        &mut self,
        key: Key,
        text: &str,
        bounds: &IntegerBounds,
        default: u32,
    ) -> u32 {
        let subject = value_subject(key, text);
        let number = match parse_number(text) {
            Ok(number) => number,
            Err(error) => {
                let problem = error.describe();
                self.notify(
                    key,
                    format!("{subject} {problem}, so the default {default} is used."),
                );
                return default;
            }
        };

        let reading = read_integer(number, bounds);
        let value = reading.value;
        let IntegerBounds {
            min,
            max,
            max_reason,
        } = bounds;
        let message = match (reading.rounded, reading.clamped) {
            (false, None) => return value,
            (true, None) => format!("{subject} is not an integer, so it is rounded to {value}."),
            (false, Some(Side::Below)) => {
                format!("{subject} is below the minimum {min}, so {value} is used.")
            }
            (false, Some(Side::Above)) => {
                format!("{subject} is above the maximum {max}{max_reason}, so {value} is used.")
            }
            (true, Some(_)) => format!(
                "{subject} is not an integer from {min} to {max}{max_reason}, so {value} is used."
            ),
        };
        self.notify(key, message);
        value
    }

    /// Reads `text` as a float within `range`: clamps with a notice, and
    /// falls back to `default` when it is not a finite number.
    fn lenient_float(&mut self, key: Key, text: &str, range: (f64, f64), default: f64) -> f64 {
        let subject = value_subject(key, text);
        let number = match parse_number(text) {
            Ok(number) => number,
            Err(error) => {
                let problem = error.describe();
                let shown_default = format_number(default);
                self.notify(
                    key,
                    format!("{subject} {problem}, so the default {shown_default} is used."),
                );
                return default;
            }
        };

        let (value, clamped) = read_float(number, range);
        let message = match clamped {
            None => return value,
            Some(Side::Below) => {
                let min = format_number(range.0);
                format!("{subject} is below the minimum {min}, so {min} is used.")
            }
            Some(Side::Above) => {
                let max = format_number(range.1);
                format!("{subject} is above the maximum {max}, so {max} is used.")
            }
        };
        self.notify(key, message);
        value
    }

    fn notify_unknown_id(&mut self, key: Key, text: &str, ids: &[&str], default: &str) {
        let subject = value_subject(key, text);
        let name = key.name();
        let accepted = match ids.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
            _ => ids.join(""),
        };
        self.notify(
            key,
            format!(
                "{subject} is not a known {name} ({accepted}), so the default {default} is used."
            ),
        );
    }

    /// Removes control characters and cuts the text to `MAX_EXPR_CHARS`
    /// characters, with a notice for each repair.
    fn lenient_expr(&mut self, text: &str) -> String {
        let reading = read_expr(text);
        let subject = value_subject(Key::Expr, text);

        if reading.removed_controls > 0 {
            let count = reading.removed_controls;
            let (noun, verb) = plural(count, "control character");
            self.notify(
                Key::Expr,
                format!("{subject} contains {count} {noun}, which {verb} removed."),
            );
        }
        if let Some(chars) = reading.cut_from_chars {
            self.notify(
                Key::Expr,
                format!("{subject} has {chars} characters, more than the maximum {MAX_EXPR_CHARS}, so only the first {MAX_EXPR_CHARS} are used."),
            );
        }
        reading.text
    }
}

/// Starts a message about `text` received for `key`: "The value 'abc' for
/// n", or "The empty value for n".
fn value_subject(key: Key, text: &str) -> String {
    let name = key.name();
    if text.is_empty() {
        format!("The empty value for {name}")
    } else {
        let value = quote(text, MAX_ECHOED_VALUE_CHARS);
        format!("The value {value} for {name}")
    }
}
