//! Build script (named in Cargo.toml): links the `dossier` binary as a
//! position-dependent executable on Linux. A PIE carries some 52,000 relative
//! relocations that the dynamic loader applies, page by page, at every start:
//! 0.8 ms of a 6 ms search, the largest single cost of a whole-process query
//! (measured with perf; see docs/performance.md). The library and the
//! tests are unaffected; the price is that the binary's own addresses are not
//! randomised.

fn main() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let arch = std::env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    if os == "linux" && arch == "x86_64" {
        println!("cargo:rustc-link-arg-bin=dossier=-no-pie");
    }
    println!("cargo:rerun-if-changed=src/build.rs");
}
