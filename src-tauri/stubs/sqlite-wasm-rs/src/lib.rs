//! Empty: see Cargo.toml. rusqlite only uses this crate on wasm32, which we never build.
