//! Lenient decoding of links: hostile and malformed fragments, the notices
//! they produce, and the canonical encoding.

use layerwise::codec::{decode_fragment, encode_fragment, Decoded, MAX_FRAGMENT_BYTES};
use layerwise::state::{
    max_depth, Family, Mode, State, ALPHA_RANGE, EPS_RANGE, ETA_RANGE, MAX_EXPR_CHARS, N_RANGE,
    P_RANGE,
};

/// Asserts every range of `State`, independently of the codec's own checks.
fn assert_in_range(state: &State, input: &str) {
    assert!((1..=2).contains(&state.d), "d {} for {input:?}", state.d);
    assert!(
        (N_RANGE.0..=N_RANGE.1).contains(&state.n),
        "n {} for {input:?}",
        state.n
    );
    let max = max_depth(state.d, state.n, state.mode);
    assert!(
        (1..=max).contains(&state.depth),
        "depth {} for {input:?}",
        state.depth
    );
    assert!(
        (1..=state.depth).contains(&state.level),
        "level {} for {input:?}",
        state.level
    );
    for (name, value, (min, max)) in [
        ("alpha", state.alpha, ALPHA_RANGE),
        ("p", state.p, P_RANGE),
        ("eta", state.eta, ETA_RANGE),
        ("eps", state.eps, EPS_RANGE),
    ] {
        assert!(value >= min && value <= max, "{name} {value} for {input:?}");
    }
    assert!(
        state.expr.chars().count() <= MAX_EXPR_CHARS,
        "expr length for {input:?}"
    );
    assert!(
        !state.expr.chars().any(|c| c <= '\u{1f}' || c == '\u{7f}'),
        "control character in expr for {input:?}"
    );
}

/// Asserts that every notice message is one plain sentence of bounded
/// length with no raw control characters.
fn assert_plain_messages(decoded: &Decoded, input: &str) {
    for notice in &decoded.notices {
        let message = &notice.message;
        assert!(message.ends_with('.'), "{message:?} for {input:?}");
        assert!(message.chars().count() <= 300, "{message:?} for {input:?}");
        assert!(
            !message.chars().any(char::is_control),
            "{message:?} for {input:?}"
        );
    }
}

fn notice_keys(decoded: &Decoded) -> Vec<&str> {
    decoded
        .notices
        .iter()
        .map(|notice| notice.key.as_str())
        .collect()
}

/// Pseudo-random bytes from a fixed linear congruential generator, so that
/// the case is the same on every run.
fn pseudo_random_bytes(count: usize, seed: u64) -> Vec<u8> {
    let mut state = seed;
    (0..count)
        .map(|_| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 56) as u8
        })
        .collect()
}

/// Hostile fragments with the keys of the notices they must produce, in
/// order, or `None` where the notices are unpredictable. An empty key is a
/// notice about the link as a whole.
fn hostile_cases() -> Vec<(String, Option<Vec<&'static str>>)> {
    let script = "<script>alert(1)</script>";
    let cases: Vec<(String, Vec<&str>)> = vec![
        (String::new(), vec![]),
        ("#".into(), vec![]),
        ("##".into(), vec![""]),
        ("&&&".into(), vec![]),
        ("====".into(), vec![""]),
        ("=".into(), vec![""]),
        ("=1".into(), vec![""]),
        ("d".into(), vec![""]),
        ("%".into(), vec![""]),
        ("n=%".into(), vec!["n", "n"]),
        ("n=%zz".into(), vec!["n", "n"]),
        ("expr=%C3%28".into(), vec!["expr"]),
        ("expr=%zz".into(), vec!["expr"]),
        ("expr=50%".into(), vec!["expr"]),
        ("n=99999999999999999999".into(), vec!["n"]),
        ("n=1e300".into(), vec!["n"]),
        ("n=-5".into(), vec!["n"]),
        ("n=2.5".into(), vec!["n"]),
        ("n=NaN".into(), vec!["n"]),
        ("n=%EF%BC%94".into(), vec!["n"]),
        ("alpha=Infinity".into(), vec!["alpha"]),
        ("alpha=-inf".into(), vec!["alpha"]),
        ("alpha=1e-3".into(), vec!["alpha"]),
        ("alpha=0x1p-1".into(), vec!["alpha"]),
        ("eps=1e-9".into(), vec!["eps"]),
        ("eta=0".into(), vec!["eta"]),
        ("p=abc".into(), vec!["p"]),
        ("p=".into(), vec!["p"]),
        ("d=3".into(), vec!["d"]),
        ("d=0".into(), vec!["d"]),
        ("d=1.5".into(), vec!["d"]),
        ("d=-1e300".into(), vec!["d"]),
        ("depth=0".into(), vec!["depth"]),
        ("depth=13".into(), vec!["depth"]),
        ("depth=-1&level=-1".into(), vec!["depth", "level"]),
        ("n=16&depth=12".into(), vec!["depth"]),
        ("d=2&n=16&mode=network&depth=8".into(), vec!["depth"]),
        ("level=99".into(), vec!["level"]),
        ("depth=5&level=0".into(), vec!["level"]),
        ("level=3.7".into(), vec!["level"]),
        ("v=999".into(), vec!["v"]),
        ("v=-1".into(), vec!["v"]),
        ("v=abc".into(), vec!["v"]),
        ("v=1.5".into(), vec!["v"]),
        ("v=".into(), vec!["v"]),
        ("v=1e300".into(), vec!["v"]),
        ("n=3&n=4&n=5".into(), vec!["n"]),
        ("v=1&v=1".into(), vec!["v"]),
        (format!("target={script}"), vec!["target"]),
        (format!("{script}=1"), vec![""]),
        (script.to_string(), vec![""]),
        (format!("mode={script}&psi={script}"), vec!["mode", "psi"]),
        ("target=Weierstrass".into(), vec!["target"]),
        ("mode=NETWORK".into(), vec!["mode"]),
        ("mode=%20ideal".into(), vec!["mode"]),
        ("psi=2".into(), vec!["psi"]),
        ("psi=yes".into(), vec!["psi"]),
        ("expr=a%00b%0Ac%7F".into(), vec!["expr"]),
        (format!("expr={}", "x".repeat(1500)), vec!["expr"]),
        (
            "foo=1&bar=2&baz=3&qux=4&quux=5&corge=6&grault=7".into(),
            vec![""],
        ),
        ("\u{0}=\u{0}&\u{1b}[2J=1".into(), vec![""]),
        ("?v=1&d=2".into(), vec![""]),
        ("v=7&future=1&d=2".into(), vec!["", "v"]),
        ("x&=1&y=2&n=0".into(), vec!["", "", "n"]),
        ("a".repeat(100_000), vec![""]),
        ("n=4&".repeat(25_000), vec!["", "n"]),
        (format!("expr={}", "%".repeat(100_000)), vec![""]),
        (format!("expr={}", "%".repeat(1_000)), vec!["expr"]),
        (format!("expr={}", "%".repeat(1_001)), vec!["expr", "expr"]),
    ];

    let mut cases: Vec<(String, Option<Vec<&str>>)> = cases
        .into_iter()
        .map(|(fragment, keys)| (fragment, Some(keys)))
        .collect();
    for seed in 1..=3 {
        let bytes = pseudo_random_bytes(4096, seed);
        cases.push((String::from_utf8_lossy(&bytes).into_owned(), None));
    }
    cases
}

#[test]
fn hostile_fragments_decode_validly() {
    let cases = hostile_cases();
    assert!(cases.len() >= 40);

    for (fragment, expected_keys) in &cases {
        let decoded = decode_fragment(fragment);
        assert_in_range(&decoded.state, fragment);
        assert_plain_messages(&decoded, fragment);

        let Some(expected_keys) = expected_keys else {
            continue;
        };
        let prefix: String = fragment.chars().take(60).collect();
        assert_eq!(
            notice_keys(&decoded),
            *expected_keys,
            "notices for {prefix:?}: {:#?}",
            decoded.notices
        );
    }
}

#[test]
fn design_example_decodes_without_notices() {
    let decoded = decode_fragment("#v=1&d=1&n=3&depth=5&target=weierstrass&alpha=0.5&p=2&level=3");
    assert_eq!(decoded.notices, vec![]);

    let state = decoded.state;
    assert_eq!(state.d, 1);
    assert_eq!(state.n, 3);
    assert_eq!(state.depth, 5);
    assert_eq!(state.level, 3);
    assert_eq!(state.target, Family::Weierstrass);
    assert_eq!(state.alpha, 0.5);
    assert_eq!(state.p, 2.0);

    let defaults = State::default();
    assert_eq!(state.expr, defaults.expr);
    assert_eq!(state.mode, defaults.mode);
    assert_eq!(state.eta, defaults.eta);
    assert_eq!(state.eps, defaults.eps);
    assert_eq!(state.psi, defaults.psi);
}

#[test]
fn fragment_without_hash_decodes() {
    let with_hash = decode_fragment("#n=4&d=2");
    let without_hash = decode_fragment("n=4&d=2");
    assert_eq!(with_hash, without_hash);
    assert_eq!(without_hash.state.n, 4);
    assert_eq!(without_hash.state.d, 2);
}

#[test]
fn random_bytes_decode_validly() {
    for seed in 0..200 {
        let bytes = pseudo_random_bytes(512, seed);
        let fragment = String::from_utf8_lossy(&bytes);
        let decoded = decode_fragment(&fragment);
        assert_in_range(&decoded.state, &fragment);
        assert_plain_messages(&decoded, &fragment);
    }
}

#[test]
fn plus_stays_literal_plus() {
    let decoded = decode_fragment("target=custom&expr=x+1");
    assert_eq!(decoded.notices, vec![]);
    assert_eq!(decoded.state.expr, "x+1");

    let encoded = decode_fragment("expr=x%2B1");
    assert_eq!(encoded.state.expr, "x+1");
}

#[test]
fn percent_decoding_of_values() {
    let decoded = decode_fragment("expr=sin(2*pi*x)%20%2B%20%CF%80");
    assert_eq!(decoded.notices, vec![]);
    assert_eq!(decoded.state.expr, "sin(2*pi*x) + π");

    let stray = decode_fragment("expr=50%25%");
    assert_eq!(stray.state.expr, "50%%");
    assert_eq!(notice_keys(&stray), vec!["expr"]);

    let invalid = decode_fragment("expr=%C3%28");
    assert_eq!(invalid.state.expr, "\u{FFFD}(");
    assert!(invalid.notices[0].message.contains("UTF-8"));
}

#[test]
fn percent_encoded_keys_are_read() {
    let decoded = decode_fragment("%64=2&%6E=4");
    assert_eq!(decoded.notices, vec![]);
    assert_eq!(decoded.state.d, 2);
    assert_eq!(decoded.state.n, 4);
}

#[test]
fn repeated_key_last_wins() {
    let decoded = decode_fragment("n=3&n=4&n=5");
    assert_eq!(decoded.state.n, 5);
    assert_eq!(
        decoded.notices[0].message,
        "The key n appears 3 times, so the last value '5' is used."
    );
}

#[test]
fn integer_values_rounded_and_clamped() {
    let cases = [
        ("n=2.5", 3),
        ("n=2.4", 2),
        ("n=-5", 2),
        ("n=1e300", 16),
        ("n=99999999999999999999", 16),
        ("n=16.4", 16),
        ("n=16.6", 16),
        ("n=%2B4", 4),
        ("n=4.0", 4),
        ("n=abc", 3),
        ("n=", 3),
    ];
    for (fragment, expected) in cases {
        assert_eq!(decode_fragment(fragment).state.n, expected, "{fragment}");
    }

    let exact = decode_fragment("n=4.0&d=2e0");
    assert_eq!(exact.notices, vec![]);
    assert_eq!(exact.state.d, 2);
}

#[test]
fn integer_notice_messages() {
    let cases = [
        (
            "n=abc",
            "The value 'abc' for n is not a number, so the default 3 is used.",
        ),
        (
            "n=",
            "The empty value for n is not a number, so the default 3 is used.",
        ),
        (
            "n=NaN",
            "The value 'NaN' for n is not a finite number, so the default 3 is used.",
        ),
        (
            "n=2.6",
            "The value '2.6' for n is not an integer, so it is rounded to 3.",
        ),
        (
            "n=17",
            "The value '17' for n is above the maximum 16, so 16 is used.",
        ),
        (
            "n=-5",
            "The value '-5' for n is below the minimum 2, so 2 is used.",
        ),
        (
            "n=20.4",
            "The value '20.4' for n is not an integer from 2 to 16, so 16 is used.",
        ),
        (
            "d=3",
            "The value '3' for d is above the maximum 2, so 2 is used.",
        ),
    ];
    for (fragment, expected) in cases {
        let decoded = decode_fragment(fragment);
        assert_eq!(decoded.notices.len(), 1, "{fragment}");
        assert_eq!(decoded.notices[0].message, expected, "{fragment}");
    }
}

#[test]
fn float_values_clamped_or_defaulted() {
    let decoded = decode_fragment("alpha=0&p=11&eta=1e-3&eps=NaN");
    assert_eq!(decoded.state.alpha, ALPHA_RANGE.0);
    assert_eq!(decoded.state.p, P_RANGE.1);
    assert_eq!(decoded.state.eta, 1e-3);
    assert_eq!(decoded.state.eps, State::default().eps);
    assert_eq!(notice_keys(&decoded), vec!["alpha", "p", "eps"]);
    assert_eq!(
        decoded.notices[0].message,
        "The value '0' for alpha is below the minimum 0.05, so 0.05 is used."
    );
    assert_eq!(
        decoded.notices[1].message,
        "The value '11' for p is above the maximum 10, so 10 is used."
    );
    assert_eq!(
        decoded.notices[2].message,
        "The value 'NaN' for eps is not a finite number, so the default 0.01 is used."
    );

    let exponent = decode_fragment("eps=1e-8&eta=1e-4");
    assert_eq!(exponent.notices, vec![]);
    assert_eq!(exponent.state.eps, 1e-8);
    assert_eq!(exponent.state.eta, 1e-4);
}

#[test]
fn enumeration_notice_lists_ids() {
    let decoded = decode_fragment("target=Cusp&mode=x");
    assert_eq!(decoded.state.target, Family::Weierstrass);
    assert_eq!(decoded.state.mode, Mode::Ideal);
    assert_eq!(
        decoded.notices[0].message,
        "The value 'x' for mode is not a known mode (ideal or network), so the default ideal is used."
    );
    assert_eq!(
        decoded.notices[1].message,
        "The value 'Cusp' for target is not a known target (weierstrass, cusp, jump, kink, sine, cone or custom), so the default weierstrass is used."
    );
}

#[test]
fn psi_accepts_words_silently() {
    for (value, expected) in [("0", false), ("1", true), ("false", false), ("true", true)] {
        let decoded = decode_fragment(&format!("psi={value}"));
        assert_eq!(decoded.notices, vec![], "{value}");
        assert_eq!(decoded.state.psi, expected, "{value}");
    }
    let bad = decode_fragment("psi=on");
    assert!(!bad.state.psi);
    assert_eq!(notice_keys(&bad), vec!["psi"]);
}

#[test]
fn version_handling() {
    assert_eq!(decode_fragment("d=2").notices, vec![]);
    assert_eq!(decode_fragment("v=1&d=2").notices, vec![]);

    let newer = decode_fragment("v=7&d=2&n=4");
    assert_eq!(newer.state.d, 2);
    assert_eq!(newer.state.n, 4);
    assert_eq!(
        newer.notices[0].message,
        "The link is from a newer format (v=7), so only the keys this page knows are read."
    );

    for value in ["-1", "0", "abc", "1.5", "NaN"] {
        let decoded = decode_fragment(&format!("v={value}&n=4"));
        assert_eq!(decoded.state.n, 4, "v={value}");
        assert_eq!(notice_keys(&decoded), vec!["v"], "v={value}");
        assert!(
            decoded.notices[0].message.contains("not a format version"),
            "v={value}"
        );
    }
}

#[test]
fn depth_clamped_to_max_depth() {
    let decoded = decode_fragment("n=16&depth=12&level=12");
    assert_eq!(decoded.state.depth, 10);
    assert_eq!(decoded.state.level, 10);
    assert_eq!(
        decoded.notices[0].message,
        "The value '12' for depth is above the maximum 10 for n=16 in 1D (n^depth must stay ≤ 2^40), so 10 is used."
    );
    assert_eq!(
        decoded.notices[1].message,
        "The value '12' for level is above the maximum 10 (the depth), so 10 is used."
    );

    let network = decode_fragment("d=2&n=16&mode=network&depth=8");
    assert_eq!(network.state.depth, 5);
    assert!(network.notices[0].message.contains("n^(2·depth)"));

    let fixed = decode_fragment("d=2&depth=9");
    assert_eq!(fixed.state.depth, 8);
    assert!(fixed.notices[0].message.contains("maximum 8 in 2D"));
}

#[test]
fn depth_checked_after_other_keys() {
    // The depth comes before d, n and mode in the link, but its limit
    // still uses their values.
    let decoded = decode_fragment("depth=8&level=8&mode=network&n=16&d=2");
    assert_eq!(decoded.state.depth, 5);
    assert_eq!(decoded.state.level, 5);
}

#[test]
fn default_level_lowered_silently() {
    let decoded = decode_fragment("depth=2");
    assert_eq!(decoded.notices, vec![]);
    assert_eq!(decoded.state.depth, 2);
    assert_eq!(decoded.state.level, 2);
}

#[test]
fn expr_keeps_non_ascii_and_markup() {
    let decoded = decode_fragment("expr=%E2%88%9Ax%3Cscript%3E&target=custom");
    assert_eq!(decoded.notices, vec![]);
    assert_eq!(decoded.state.expr, "√x<script>");
}

#[test]
fn expr_control_characters_removed() {
    let decoded = decode_fragment("expr=a%00b%1B%5B31m%7F");
    assert_eq!(decoded.state.expr, "ab[31m");
    assert_eq!(
        decoded.notices[0].message,
        "The value 'a\\u{0}b\\u{1b}[31m\\u{7f}' for expr contains 3 control characters, which are removed."
    );
}

#[test]
fn expr_cut_to_max_chars() {
    let decoded = decode_fragment(&format!("expr={}", "%CF%80".repeat(1200)));
    assert_eq!(decoded.state.expr.chars().count(), MAX_EXPR_CHARS);
    assert!(decoded.state.expr.chars().all(|c| c == 'π'));
    assert!(decoded.notices[0]
        .message
        .contains("has 1200 characters, more than the maximum 1000"));
}

#[test]
fn empty_expr_kept_empty() {
    let decoded = decode_fragment("expr=");
    assert_eq!(decoded.notices, vec![]);
    assert_eq!(decoded.state.expr, "");
}

#[test]
fn unknown_keys_in_one_notice() {
    let long_name = "k".repeat(50);
    let fragment = format!("a=1&b=2&a=3&c=4&d=2&{long_name}=5&e=6&f=7&g=8");
    let decoded = decode_fragment(&fragment);
    assert_eq!(decoded.state.d, 2);
    assert_eq!(notice_keys(&decoded), vec![""]);

    let message = &decoded.notices[0].message;
    let shortened = format!("'{}…'", "k".repeat(19));
    assert_eq!(
        *message,
        format!("The link contains the unknown keys 'a', 'b', 'c', {shortened}, 'e' and 2 more, which are ignored.")
    );
}

#[test]
fn malformed_pairs_in_one_notice() {
    let decoded = decode_fragment("abc&=5&n=4&====");
    assert_eq!(decoded.state.n, 4);
    assert_eq!(
        decoded.notices[0].message,
        "The link contains the malformed pairs 'abc', '=5' and '====', which are ignored because a pair needs the form key=value with a non-empty key."
    );
}

#[test]
fn notice_echo_escapes_controls() {
    let decoded = decode_fragment("n=%1B%5B2J%E2%80%AE%0A");
    let message = &decoded.notices[0].message;
    assert_eq!(
        *message,
        "The value '\\u{1b}[2J\\u{202e}\\u{a}' for n is not a number, so the default 3 is used."
    );
}

#[test]
fn notice_echo_shortens_values() {
    let decoded = decode_fragment(&format!("target={}", "z".repeat(500)));
    let message = &decoded.notices[0].message;
    assert!(
        message.contains(&format!("'{}…'", "z".repeat(39))),
        "{message}"
    );
    assert!(message.chars().count() < 200, "{message}");
}

#[test]
fn size_limit_reads_complete_pairs() {
    // Pairs of 8 bytes, so that the limit falls inside a pair.
    let pair = "n=4&d=2&";
    let mut fragment = pair.repeat(MAX_FRAGMENT_BYTES / pair.len());
    fragment.push_str("psi=1&n=5");
    fragment.push_str(&"x".repeat(100));

    let decoded = decode_fragment(&fragment);
    assert_eq!(decoded.state.n, 4, "the pair cut by the limit is not read");
    assert!(!decoded.state.psi);
    assert_eq!(notice_keys(&decoded), vec!["", "d", "n"]);

    let kept_bytes = MAX_FRAGMENT_BYTES - 1;
    let expected = format!(
        "The link has {} bytes, more than the maximum {MAX_FRAGMENT_BYTES}, so only the first {kept_bytes} bytes are read and the other {} are ignored.",
        fragment.len(),
        fragment.len() - kept_bytes,
    );
    assert_eq!(decoded.notices[0].message, expected);
}

#[test]
fn size_limit_at_pair_boundary() {
    // The pair "n=5" ends exactly at the limit and an '&' follows, so it is
    // complete and read.
    let mut fragment = "a".repeat(MAX_FRAGMENT_BYTES - "&n=5".len());
    fragment.push_str("&n=5&psi=1");
    assert_eq!(fragment.as_bytes()[MAX_FRAGMENT_BYTES], b'&');

    let decoded = decode_fragment(&fragment);
    assert_eq!(decoded.state.n, 5);
    assert!(!decoded.state.psi);
    assert_eq!(notice_keys(&decoded), vec!["", ""]);
}

#[test]
fn size_limit_cuts_at_char_boundary() {
    // Three-byte characters straddle the limit, so a cut at exactly
    // MAX_FRAGMENT_BYTES would split one.
    let fragment = format!("n=4&expr={}", "€".repeat(MAX_FRAGMENT_BYTES));
    let decoded = decode_fragment(&fragment);
    assert_eq!(decoded.state.n, 4);
    assert_eq!(decoded.state.expr, State::default().expr);
    assert_eq!(notice_keys(&decoded), vec![""]);
}

// `Instant::now` panics on wasm32-unknown-unknown, so this test runs
// natively only.
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn megabyte_input_reads_only_prefix() {
    let fragment = "n=5&".repeat(2_500_000);
    assert!(fragment.len() >= 10_000_000);

    // Only the first MAX_FRAGMENT_BYTES are read, and a notice on the whole
    // link says the rest was ignored. Speed is covered by the benchmarks,
    // not by a timed test.
    let decoded = decode_fragment(&fragment);
    assert_eq!(decoded.state.n, 5);
    assert!(decoded.notices.iter().any(|notice| notice.key.is_empty()));
}

#[test]
fn canonical_encoding_of_default() {
    assert_eq!(
        encode_fragment(&State::default()),
        "v=1&d=1&n=3&depth=5&level=3&target=weierstrass&alpha=0.5&p=2&psi=0&mode=ideal&eta=0.001&eps=0.01&expr=abs(x%20-%201/3)"
    );
}

#[test]
fn encoding_escapes_expr_reserved_bytes() {
    let state = State {
        expr: "x+1 & y=#%'\"<>\\ π".to_string(),
        ..State::default()
    };
    let fragment = encode_fragment(&state);
    let expr = fragment.rsplit_once("expr=").map(|(_, value)| value);
    assert_eq!(
        expr,
        Some("x%2B1%20%26%20y%3D%23%25%27%22%3C%3E%5C%20%CF%80")
    );

    let decoded = decode_fragment(&fragment);
    assert_eq!(decoded.notices, vec![]);
    assert_eq!(decoded.state, state);
}

#[test]
fn encoding_floats_shortest_form() {
    let state = State {
        alpha: 0.1 + 0.2,
        p: 10.0,
        eta: 1e-4,
        eps: 1e-8,
        ..State::default()
    };
    let fragment = encode_fragment(&state);
    assert!(
        fragment.contains("&alpha=0.30000000000000004&"),
        "{fragment}"
    );
    assert!(fragment.contains("&p=10&"), "{fragment}");
    assert!(fragment.contains("&eta=0.0001&"), "{fragment}");
    assert!(fragment.contains("&eps=1e-8&"), "{fragment}");
    assert_eq!(decode_fragment(&fragment).state, state);
}

#[test]
fn longest_canonical_fragment_fits() {
    // Four-byte characters take 12 bytes each once percent-encoded.
    let state = State {
        d: 2,
        n: 16,
        depth: 8,
        level: 8,
        expr: "😀".repeat(MAX_EXPR_CHARS),
        alpha: 0.123_456_789_012_345_68,
        p: 1.234_567_890_123_456_7,
        eta: 1.234_567_890_123_456_7e-4,
        eps: 1.234_567_890_123_456_7e-8,
        psi: true,
        ..State::default()
    };
    let fragment = encode_fragment(&state);
    assert!(fragment.len() <= MAX_FRAGMENT_BYTES, "{}", fragment.len());

    let decoded = decode_fragment(&fragment);
    assert_eq!(decoded.notices, vec![]);
    assert_eq!(decoded.state, state);
}

#[test]
fn out_of_range_state_repaired() {
    let state = State {
        n: 40,
        alpha: f64::NAN,
        eta: f64::INFINITY,
        expr: "a\u{0}b".to_string(),
        ..State::default()
    };
    let decoded = decode_fragment(&encode_fragment(&state));
    assert_in_range(&decoded.state, "encoded out-of-range state");
    assert_eq!(notice_keys(&decoded), vec!["n", "expr", "alpha", "eta"]);
}

#[test]
fn expression_without_target_selects_custom() {
    // As `--expr` does in the CLI, a link that carries an expression and
    // no target selects the custom target.
    let decoded = decode_fragment("v=1&expr=x%5E2");
    assert_eq!(decoded.state.target, Family::Custom);
    assert_eq!(decoded.state.expr, "x^2");
    assert!(decoded.notices.is_empty(), "{:?}", decoded.notices);

    let explicit = decode_fragment("v=1&target=kink&expr=x%5E2");
    assert_eq!(explicit.state.target, Family::Kink);
}
