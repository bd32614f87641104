//! The list of target families in the "About the construction" panel:
//! each family's formula, as its target prints it, and what is known about
//! its L^p modulus of continuity.

use web_sys::Element;

use super::dom;
use crate::state::{Family, State};
use crate::target::build_target;

/// Describes what is known about the Lᵖ modulus ω of `family`, and which
/// majorant certifies it, in the notation of `summary`.
fn modulus_note(family: Family) -> &'static str {
    match family {
        Family::Weierstrass => {
            "ω(f, t) behaves like tᵅ for α < 1 (like t·log(1/t) at α = 1), so errors fall like \
             N^(−αℓ) until the finest term (frequency 2²⁰π) is resolved. Certified by \
             (1/S)·Σₖ 2^(−αk)·min(2, 2ᵏπt), from |cos a − cos b| ≤ min(2, |a − b|)."
        }
        Family::Cusp => {
            "Rough at one point only, so its Lᵖ modulus is better than tᵅ: of order t when \
             α + d/p > 1. The rate follows ω, not the pointwise smoothness. Certified by tᵅ, \
             from ||a|ᵅ − |b|ᵅ| ≤ |a − b|ᵅ."
        }
        Family::Jump => {
            "Discontinuous: ω(f, t) grows like t^(1/p), so the rate is N^(−ℓ/p). Certified by \
             t^(1/p) in 1D and (√2·t)^(1/p) in 2D, the area of the strip where the shifted step \
             differs. With N = 3 the 1D step at 1/3 lies on a grid line, and Φℓ reproduces it \
             exactly from level 1 on."
        }
        Family::Kink => {
            "1-Lipschitz, so ω(f, t) ≤ t (certified) and the bound falls by a factor of N per \
             level."
        }
        Family::Sine => {
            "1-Lipschitz, so ω(f, t) ≤ t (certified). With N = 2 in 1D, E₂f = E₁f: ψ₂ is zero \
             and the level-2 error equals the level-1 error, so errors need not fall at every \
             level."
        }
        Family::Cone => "1-Lipschitz, so ω(f, t) ≤ t (certified).",
        Family::Custom => {
            "A typed expression in x (and y): nothing is known about its modulus, so there is no \
             certified bound, and α only sets the slope N^(−αℓ) of the reference line."
        }
    }
}

/// Fills `#families` with one entry per family: its id, formulas in 1D
/// and 2D, and `modulus_note`.
pub fn write_families(root: &Element) {
    let Some(list) = dom::find::<Element>(root, "families") else {
        return;
    };
    if list.child_element_count() > 0 {
        return;
    }
    for family in Family::ALL {
        dom::append_text(&list, "dt", "", family.id());
        let Some(entry) = dom::append(&list, "dd", "") else {
            continue;
        };
        if family != Family::Custom {
            for d in [1, 2] {
                let state = State {
                    d,
                    target: family,
                    ..State::default()
                };
                if let Ok(target) = build_target(&state) {
                    let variables = if d == 1 { "f(x)" } else { "f(x, y)" };
                    let text = format!("{variables} = {}", target.formula());
                    dom::append_text(&entry, "code", "formula-line", &text);
                }
            }
        }
        dom::append_text(&entry, "p", "", modulus_note(family));
    }
}
