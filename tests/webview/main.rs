//! The real app in a real webview: tauri-driver 2.1.0 and WebKitWebDriver drive the debug
//! build of `senco-toolkit` under Xvfb, each scenario on an empty data directory.
//!
//! Run by `.ci/run` (see the README's test command) as
//! `xvfb-run -a cargo test --features webview-tests --test webview`, after `cargo build`.
//! Screenshots land in `target/screenshots/` for people to look at.

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use senco_core::upn::Upn;

/// tauri-driver, stopped with SIGTERM so it also stops its WebKitWebDriver child.
struct Driver {
    child: Child,
}

impl Driver {
    fn start(data_dir: &Path) -> Driver {
        Driver::start_with(&[("SENCO_DATA_DIR", data_dir)])
    }

    /// With these environment variables for the app (it inherits tauri-driver's); without
    /// SENCO_DATA_DIR among them, the app uses its own folders.
    fn start_with(env: &[(&str, &Path)]) -> Driver {
        let mut command = Command::new(tauri_driver());
        command.args(["--port", "4444", "--native-port", "4445"]).env_remove("SENCO_DATA_DIR");
        for (name, value) in env {
            command.env(name, value);
        }
        let child = command
            .spawn()
            .expect("tauri-driver is installed (cargo install tauri-driver --version 2.1.0 --locked)");
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect("127.0.0.1:4444").is_err() {
            assert!(Instant::now() < deadline, "tauri-driver did not start listening on 4444");
            std::thread::sleep(Duration::from_millis(100));
        }
        Driver { child }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status();
        let _ = self.child.wait();
    }
}

fn tauri_driver() -> PathBuf {
    let home = PathBuf::from(std::env::var_os("HOME").unwrap_or_default());
    let installed = home.join(".cargo/bin/tauri-driver");
    if installed.exists() { installed } else { PathBuf::from("tauri-driver") }
}

fn app_binary() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/debug/senco-toolkit")
}

async fn launch() -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert("browserName".into(), "wry".into());
    caps.insert("tauri:options".into(), serde_json::json!({ "application": app_binary() }));
    ClientBuilder::rustls()
        .expect("tls")
        .capabilities(caps)
        .connect("http://127.0.0.1:4444")
        .await
        .expect("a WebDriver session with the app")
}

async fn wait_for(c: &Client, css: &str) -> fantoccini::elements::Element {
    c.wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css} did not appear: {e}"))
}

/// Waits until the element's text contains `expected`, and returns the text.
async fn wait_for_text(c: &Client, css: &str, expected: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let text = match c.find(Locator::Css(css)).await {
            Ok(element) => element.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        if text.contains(expected) {
            return text;
        }
        assert!(Instant::now() < deadline, "{css} never said {expected:?}; it says {text:?}");
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

/// Sets a form control's value as typing would, so Svelte's bindings see it. Date inputs
/// differ between webviews, so values go in through the DOM, as one input event.
async fn set(c: &Client, css: &str, value: &str) {
    wait_for(c, css).await;
    c.execute(
        "const el = document.querySelector(arguments[0]);
         el.value = arguments[1];
         el.dispatchEvent(new Event('input', { bubbles: true }));
         el.dispatchEvent(new Event('change', { bubbles: true }));",
        vec![css.into(), value.into()],
    )
    .await
    .unwrap_or_else(|e| panic!("setting {css}: {e}"));
}

async fn click(c: &Client, css: &str) {
    wait_for(c, css).await.click().await.unwrap_or_else(|e| panic!("clicking {css}: {e}"));
}

/// Waits for two animation frames first: WebKit's snapshot is the last painted frame, which
/// can lag just behind a DOM change the test has already seen.
async fn screenshot(c: &Client, name: &str) {
    c.execute_async(
        "const done = arguments[arguments.length - 1];
         requestAnimationFrame(() => requestAnimationFrame(() => done(null)));",
        vec![],
    )
    .await
    .expect("two frames painted");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot folder");
    let png = c.screenshot().await.expect("screenshot");
    std::fs::write(dir.join(format!("{name}.png")), png).expect("screenshot written");
}

async fn demo_school_add_pupil_set_sen_support_and_find_them() {
    // The app's own folders, as on a school laptop: no SENCO_DATA_DIR.
    let home = tempfile::tempdir().expect("empty home");
    let (share, cache) = (home.path().join("share"), home.path().join("cache"));
    let _driver = Driver::start_with(&[("XDG_DATA_HOME", &share), ("XDG_CACHE_HOME", &cache)]);
    let c = launch().await;
    wait_for(&c, "#open-demo").await;
    screenshot(&c, "first-run").await;
    click(&c, "#open-demo").await;
    wait_for(&c, "#register-table").await;
    wait_for(&c, "#demo-banner").await;
    screenshot(&c, "register").await;
    // The commonest school laptop screen.
    c.set_window_size(1366, 768).await.expect("the window resizes");
    screenshot(&c, "register-1366x768").await;

    click(&c, "#add-pupil").await;
    set(&c, "#pupil-upn", "A801200005001").await;
    set(&c, "#pupil-legal-forename", "Marigold").await;
    set(&c, "#pupil-legal-surname", "Testworthy").await;
    set(&c, "#pupil-dob", "2017-03-14").await;
    set(&c, "#pupil-sex", "F").await;
    set(&c, "#pupil-year", "5").await;
    set(&c, "#pupil-admission", "2021-09-01").await;
    click(&c, "#pupil-save").await;
    wait_for_text(&c, "#error-upn", "check letter").await;
    screenshot(&c, "pupil-form-error").await;

    // Not a UPN the demo's own feeder schools (2001 to 2040 and 2999) could have allocated.
    let upn = Upn::from_parts(886, 2000, 2021, 17).to_string();
    set(&c, "#pupil-upn", &upn).await;
    click(&c, "#pupil-save").await;
    wait_for_text(&c, "#pupil-name", "Marigold").await;

    set(&c, "#status-select", "senSupport").await;
    set(&c, "#status-start", "2025-01-06").await;
    set(&c, "#status-reason", "speech and language concerns").await;
    set(&c, "#status-primary-need", "SLCN").await;
    click(&c, "#status-save").await;
    wait_for_text(&c, "#pupil-status", "SEN support").await;
    // British dates in WebKitGTK, whatever the locale .ci/test runs it under (LANG=C).
    wait_for_text(&c, "#pupil-status", "since 6 January 2025").await;
    screenshot(&c, "pupil").await;

    click(&c, "#back-to-register").await;
    set(&c, "#filter-status", "senSupport").await;
    set(&c, "#filter-need", "SLCN").await;
    set(&c, "#register-search", "Testworthy").await;
    wait_for_text(&c, "#register-counts", "1 pupil ").await;
    let rows = c.find_all(Locator::Css("#register-table tbody tr[data-upn]")).await.expect("rows");
    assert_eq!(rows.len(), 1, "the search narrows the filtered register to the new pupil");
    wait_for(&c, &format!("#register-table tr[data-upn='{upn}']")).await;
    screenshot(&c, "register-filtered").await;
    c.close().await.expect("session closes");

    // WebKit keeps its caches and storage in the cache folder, so "back up the data folder"
    // means exactly the school.
    let data = share.join("uk.senco-toolkit.app");
    assert!(cache.join("uk.senco-toolkit.app/webview").exists(), "the webview's data is in the cache folder");
    let mut names: Vec<String> = std::fs::read_dir(&data).expect("data folder").map(|e| e.expect("entry").file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert!(names.iter().all(|n| n.starts_with("demo.senco")), "only the school's files are in the data folder: {names:?}");
}

async fn set_up_a_school_restart_refuse_a_wrong_passphrase_and_unlock() {
    let data = tempfile::tempdir().expect("empty data directory");
    let _driver = Driver::start(data.path());
    let passphrase = "meadow lantern quietly";
    let recovery_key;
    {
        let c = launch().await;
        click(&c, "#setup-school").await;
        set(&c, "#school-name", "Hillside Test Primary").await;
        set(&c, "#school-urn", "118000").await;
        set(&c, "#school-la", "886").await;
        set(&c, "#school-estab", "2001").await;
        set(&c, "#school-phase", "primary").await;
        set(&c, "#passphrase", passphrase).await;
        set(&c, "#passphrase-again", passphrase).await;
        screenshot(&c, "setup").await;
        click(&c, "#create-school").await;
        let key = wait_for_text(&c, "#recovery-key", "-").await;
        assert_eq!(key.trim().len(), 29, "five groups of five: {key:?}");
        recovery_key = key.trim().to_string();
        screenshot(&c, "recovery-key").await;
        click(&c, "#recovery-confirm").await;
        click(&c, "#recovery-continue").await;
        wait_for(&c, "#register-table").await;
        assert!(c.find(Locator::Css("#demo-banner")).await.is_err(), "a real school is not labelled as a demo");
        c.close().await.expect("the app closes");
    }
    assert!(data.path().join("school.senco").exists() && data.path().join("school.senco.keys").exists());

    let c = launch().await;
    set(&c, "#unlock-passphrase", "not the passphrase").await;
    click(&c, "#unlock-submit").await;
    wait_for_text(&c, "#unlock-error", "not right").await;
    screenshot(&c, "unlock-refused").await;
    set(&c, "#unlock-passphrase", passphrase).await;
    click(&c, "#unlock-submit").await;
    wait_for(&c, "#register-table").await;

    // Locked again, the SENCO has forgotten the passphrase: the recovery key opens the
    // school and sets a new one, and the old passphrase stops working.
    click(&c, "#lock").await;
    click(&c, "#recovery-toggle").await;
    set(&c, "#recovery-key-input", &recovery_key.to_lowercase()).await;
    set(&c, "#new-passphrase", "harbour kettle evening").await;
    set(&c, "#new-passphrase-again", "harbour kettle evening").await;
    click(&c, "#recovery-submit").await;
    wait_for(&c, "#register-table").await;
    click(&c, "#lock").await;
    set(&c, "#unlock-passphrase", passphrase).await;
    click(&c, "#unlock-submit").await;
    wait_for_text(&c, "#unlock-error", "not right").await;
    set(&c, "#unlock-passphrase", "harbour kettle evening").await;
    click(&c, "#unlock-submit").await;
    wait_for(&c, "#register-table").await;
    c.close().await.expect("the app closes");
}

/// One test, so the two scenarios never share tauri-driver's ports.
#[tokio::test(flavor = "multi_thread")]
async fn the_real_app_works_in_a_real_window() {
    assert!(app_binary().exists(), "build the app first: cargo build");
    demo_school_add_pupil_set_sen_support_and_find_them().await;
    set_up_a_school_restart_refuse_a_wrong_passphrase_and_unlock().await;
}
