//! The desktop app's entry point: everything else is in the library, so tests can build it.

// No console window beside the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    senco_app::run();
}
