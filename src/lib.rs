//! layerwise: layer-wise approximation of a target f on [0,1]^d by nested
//! piecewise-constant readouts Φ_ℓ = E_ℓ f (cell averages on the grid of
//! N^{dℓ} cubes of side N^{-ℓ}), their L^p errors, the L^p modulus of
//! continuity ω_p, and the bound (2d+1)·ω_p(f, N^{-ℓ}).
//!
//! The engine is plain Rust with no browser types. The WebAssembly glue is
//! in `web` and is compiled only for `wasm32`.

pub mod analysis;
pub mod cli;
pub mod codec;
pub mod crossing;
pub mod deviation;
pub mod discontinuity;
pub mod expr;
pub mod figure;
pub mod geometry;
pub mod grid;
pub mod modulus;
pub mod network;
pub mod parallel;
pub mod picture;
pub mod qmc;
pub mod quadrature;
pub mod readout;
pub mod report;
pub mod sampler;
pub mod state;
pub mod summary;
pub mod target;
pub mod trig;

#[cfg(target_arch = "wasm32")]
pub mod web;
