//! The keys of the fragment format.

/// One key of the fragment format. The same word is the page's control id
/// and the command-line option name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Key {
    V,
    D,
    N,
    Depth,
    Level,
    Target,
    Alpha,
    P,
    Psi,
    Mode,
    Eta,
    Eps,
    Expr,
}

impl Key {
    /// Every key, in the order that `encode_fragment` writes them.
    pub(crate) const CANONICAL: [Key; 13] = [
        Key::V,
        Key::D,
        Key::N,
        Key::Depth,
        Key::Level,
        Key::Target,
        Key::Alpha,
        Key::P,
        Key::Psi,
        Key::Mode,
        Key::Eta,
        Key::Eps,
        Key::Expr,
    ];

    /// Returns the key as written in links and, after `--`, on the command
    /// line.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Key::V => "v",
            Key::D => "d",
            Key::N => "n",
            Key::Depth => "depth",
            Key::Level => "level",
            Key::Target => "target",
            Key::Alpha => "alpha",
            Key::P => "p",
            Key::Psi => "psi",
            Key::Mode => "mode",
            Key::Eta => "eta",
            Key::Eps => "eps",
            Key::Expr => "expr",
        }
    }

    /// Parses a key name. The match is exact (lower case, no spaces).
    pub(crate) fn from_name(name: &str) -> Option<Key> {
        Key::CANONICAL.into_iter().find(|key| key.name() == name)
    }

    /// Position of the key in `CANONICAL`, for tables indexed by key.
    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_names_round_trip() {
        for key in Key::CANONICAL {
            assert_eq!(Key::from_name(key.name()), Some(key));
        }
        assert_eq!(Key::from_name("Depth"), None);
        assert_eq!(Key::from_name(""), None);
    }

    #[test]
    fn key_index_matches_canonical_position() {
        for (position, key) in Key::CANONICAL.into_iter().enumerate() {
            assert_eq!(key.index(), position);
        }
    }
}
