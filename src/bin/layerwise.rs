//! Command-line tool over the layerwise engine.

fn main() {
    eprintln!("layerwise: not implemented yet");
    std::process::exit(2);
}
