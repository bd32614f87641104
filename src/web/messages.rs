//! The `#message` alert: link repairs, expression errors, non-finite
//! values, reduced pictures and engine notes, one paragraph each.

use web_sys::Element;

use super::dom;

/// Kind of a message, which sets its style.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// Something was adjusted or is worth knowing.
    Notice,
    /// Input that could not be used.
    Error,
}

/// One message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    /// Styling.
    pub severity: Severity,
    /// The sentence shown.
    pub text: String,
    /// Optional preformatted detail, such as an expression with a caret
    /// under the error position.
    pub detail: Option<String>,
}

impl Message {
    /// Returns a notice without detail.
    pub fn notice(text: impl Into<String>) -> Message {
        Message {
            severity: Severity::Notice,
            text: text.into(),
            detail: None,
        }
    }

    /// Returns an error without detail.
    pub fn error(text: impl Into<String>) -> Message {
        Message {
            severity: Severity::Error,
            text: text.into(),
            detail: None,
        }
    }
}

/// Returns the expression with a caret line under the character at `position`
/// (0-based, in characters), for an error message.
pub fn caret_detail(source: &str, position: usize) -> String {
    let shown: String = source.chars().take(120).collect();
    let column = position.min(shown.chars().count());
    format!("{shown}\n{}^", " ".repeat(column))
}

/// Replaces the content of `#message` with `messages`, unless it already
/// shows exactly them (so that screen readers announce only changes). The
/// element stays in place when empty, because a live region that appears
/// together with its text may not be announced. A page that has panicked
/// keeps its panic message.
pub fn show_messages(root: &Element, messages: &[Message], shown: &mut Vec<Message>) {
    if shown.as_slice() == messages {
        return;
    }
    let Some(alert) = dom::find::<Element>(root, "message") else {
        return;
    };
    if alert.class_list().contains("panic") {
        return;
    }
    alert.set_text_content(None);
    for message in messages {
        let class = match message.severity {
            Severity::Notice => "message-item notice",
            Severity::Error => "message-item error",
        };
        dom::append_text(&alert, "p", class, &message.text);
        if let Some(detail) = &message.detail {
            dom::append_text(&alert, "pre", "message-detail", detail);
        }
    }
    *shown = messages.to_vec();
}
