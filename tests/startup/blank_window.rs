//! The yardstick for the start-up benchmark: a Tauri 2 app that opens one blank window and
//! exits as soon as its page has loaded. Built with the same Tauri, features and profile
//! as the app, so the difference between the two is what the app itself costs.

use tauri::webview::PageLoadEvent;
use tauri::{Manager, WebviewUrl, WebviewWindowBuilder};

fn main() {
    tauri::Builder::default()
        .on_page_load(|webview, payload| {
            if payload.event() == PageLoadEvent::Finished {
                webview.app_handle().exit(0);
            }
        })
        .setup(|app| {
            let blank = WebviewUrl::External("about:blank".parse().expect("a URL"));
            WebviewWindowBuilder::new(app, "main", blank).title("blank").inner_size(1280.0, 700.0).build()?;
            Ok(())
        })
        .run(tauri::generate_context!())
        .expect("the blank window runs");
}
