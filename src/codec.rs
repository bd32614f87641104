//! URL fragment codec for `State` (lenient) and strict key/value setters
//! for the command line.
