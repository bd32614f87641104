//! Splitting a fragment into key=value pairs within the size limit.

use std::collections::HashSet;

use super::keys::Key;
use super::message::{plural, quote, MAX_ECHOED_KEY_CHARS};
use super::percent::percent_decode;
use super::{Notice, MAX_FRAGMENT_BYTES};

/// Maximum number of names that a notice about unknown keys or malformed
/// pairs lists before it only counts the rest.
const MAX_LISTED_NAMES: usize = 5;

/// Returns the part of `fragment` that is read: all of it when it fits in
/// `MAX_FRAGMENT_BYTES`, and otherwise the complete pairs within that limit.
pub(crate) fn cut_to_size_limit<'a>(fragment: &'a str, notices: &mut Vec<Notice>) -> &'a str {
    if fragment.len() <= MAX_FRAGMENT_BYTES {
        return fragment;
    }

    let mut end = MAX_FRAGMENT_BYTES;
    while !fragment.is_char_boundary(end) {
        end -= 1;
    }
    let head = &fragment[..end];

    // The pair at the cut is complete only when the cut falls just before
    // an '&'. Otherwise the read part ends at the last '&' of the head.
    let read_part = if fragment.as_bytes()[end] == b'&' {
        head
    } else {
        match head.rfind('&') {
            Some(position) => &head[..position],
            None => "",
        }
    };

    notices.push(Notice {
        key: String::new(),
        message: format!(
            "The link has {} bytes, more than the maximum {MAX_FRAGMENT_BYTES}, so only the first {} bytes are read and the other {} are ignored.",
            fragment.len(),
            read_part.len(),
            fragment.len() - read_part.len(),
        ),
    });
    read_part
}

/// The last raw value of each known key, and how often the key appeared.
pub(crate) struct ReceivedValues<'a> {
    pub last_value: [Option<&'a str>; Key::CANONICAL.len()],
    pub count: [usize; Key::CANONICAL.len()],
}

/// Splits `text` into pairs and keeps the last raw value of each known key.
/// Adds one notice for all malformed pairs and one for all unknown keys.
pub(crate) fn collect_pairs<'a>(text: &'a str, notices: &mut Vec<Notice>) -> ReceivedValues<'a> {
    let mut received = ReceivedValues {
        last_value: [None; Key::CANONICAL.len()],
        count: [0; Key::CANONICAL.len()],
    };
    let mut malformed_pairs = NameList::default();
    let mut unknown_keys = NameList::default();

    for pair in text.split('&') {
        if pair.is_empty() {
            continue;
        }
        let Some((raw_key, raw_value)) = pair.split_once('=') else {
            malformed_pairs.add(pair);
            continue;
        };
        if raw_key.is_empty() {
            malformed_pairs.add(pair);
            continue;
        }

        let key_name = percent_decode(raw_key).text;
        match Key::from_name(&key_name) {
            Some(key) => {
                received.last_value[key.index()] = Some(raw_value);
                received.count[key.index()] += 1;
            }
            None => unknown_keys.add(&key_name),
        }
    }

    if let Some(list) = malformed_pairs.describe() {
        let (noun, verb) = plural(malformed_pairs.distinct.len(), "pair");
        notices.push(Notice {
            key: String::new(),
            message: format!(
                "The link contains the malformed {noun} {list}, which {verb} ignored because a pair needs the form key=value with a non-empty key."
            ),
        });
    }
    if let Some(list) = unknown_keys.describe() {
        let (noun, verb) = plural(unknown_keys.distinct.len(), "key");
        notices.push(Notice {
            key: String::new(),
            message: format!("The link contains the unknown {noun} {list}, which {verb} ignored."),
        });
    }
    received
}

/// Distinct names in order of first appearance, for a notice that lists a
/// few of them and counts the rest.
#[derive(Default)]
struct NameList {
    distinct: HashSet<String>,
    listed: Vec<String>,
}

impl NameList {
    fn add(&mut self, name: &str) {
        if self.distinct.contains(name) {
            return;
        }
        self.distinct.insert(name.to_string());
        if self.listed.len() < MAX_LISTED_NAMES {
            self.listed.push(quote(name, MAX_ECHOED_KEY_CHARS));
        }
    }

    /// Writes the listed names as "'a', 'b' and 3 more", or returns `None`
    /// when the list is empty.
    fn describe(&self) -> Option<String> {
        let unlisted = self.distinct.len() - self.listed.len();
        let (last, rest) = self.listed.split_last()?;
        let description = if unlisted > 0 {
            format!("{} and {unlisted} more", self.listed.join(", "))
        } else if rest.is_empty() {
            last.clone()
        } else {
            format!("{} and {last}", rest.join(", "))
        };
        Some(description)
    }
}
