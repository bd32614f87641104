//! The constructed network of network mode (filled in separately).
