//! The yardstick for the start-up benchmark: a Tauri 2 app that opens one window on a tiny
//! page of its own and exits as soon as that page has been painted (two animation frames
//! after it loads, the same test the app uses for its first register). Built with the same
//! Tauri, features and profile as the app, so the difference between the two is what the
//! app itself costs (its UI, its IPC calls, opening the school and drawing the register).

use tauri::http::Response;
use tauri::webview::PageLoadEvent;
use tauri::{Manager, WebviewUrl, WebviewWindowBuilder};

fn main() {
    // The same rendering choice as the app (see `senco_app::prefer_simple_rendering`).
    senco_app::prefer_simple_rendering();
    tauri::Builder::default()
        // A page served by the app itself: WebKitGTK raises no page-load event for about:blank.
        .register_uri_scheme_protocol("blank", |_, request| {
            // The page, once painted, moves to /painted, whose load ends the run.
            let page: &[u8] = if request.uri().path() == "/painted" {
                b"<!doctype html><title>painted</title>"
            } else {
                b"<!doctype html><title>blank</title><p>blank</p>\
                  <script>requestAnimationFrame(() => requestAnimationFrame(() => { location.href = 'blank://localhost/painted'; }));</script>"
            };
            Response::builder().header("Content-Type", "text/html").body(page.to_vec()).expect("a response")
        })
        .on_page_load(|webview, payload| {
            if payload.event() == PageLoadEvent::Finished && payload.url().path() == "/painted" {
                webview.app_handle().exit(0);
            }
        })
        .setup(|app| {
            let blank = WebviewUrl::CustomProtocol("blank://localhost/".parse().expect("a URL"));
            WebviewWindowBuilder::new(app, "main", blank).title("blank").inner_size(1280.0, 700.0).build()?;
            Ok(())
        })
        .run(tauri::generate_context!())
        .expect("the blank window runs");
}
