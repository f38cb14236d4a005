//! The real app in a real webview: tauri-driver 2.1.0 and WebKitWebDriver drive the debug
//! build of `senco-toolkit` under Xvfb, each scenario its own test on an empty data
//! directory (one at a time, as they share tauri-driver's ports), so a failure in one is
//! reported without hiding the others.
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
        // WebKit's own compositing, not the app's choice of none (`prefer_simple_rendering`):
        // without it WebKitWebDriver's screenshot never returns. Everything else is the same.
        command.env("WEBKIT_DISABLE_COMPOSITING_MODE", "0");
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

/// One scenario at a time: every scenario has its own tauri-driver on the same ports.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// A scenario's own app: its driver, its data folder and its WebDriver session.
struct Scenario {
    c: Client,
    data: PathBuf,
    _driver: Driver,
    _home: tempfile::TempDir,
    _turn: std::sync::MutexGuard<'static, ()>,
}

impl Scenario {
    /// The app on its own folders, as on a school laptop (no SENCO_DATA_DIR), with the demo
    /// school open at the worklist.
    async fn demo() -> Scenario {
        let scenario = Scenario::empty().await;
        wait_for(&scenario.c, "#open-demo").await;
        click(&scenario.c, "#open-demo").await;
        // The worklist is the first screen after opening a school.
        wait_for(&scenario.c, "#worklist tbody tr[data-kind]").await;
        wait_for(&scenario.c, "#demo-banner").await;
        scenario
    }

    /// The app on empty folders of its own, at the first-run screen.
    async fn empty() -> Scenario {
        // A failed scenario must not stop the next one from running.
        let turn = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
        assert!(app_binary().exists(), "build the app first: cargo build");
        let home = tempfile::tempdir().expect("empty home");
        let (share, cache) = (home.path().join("share"), home.path().join("cache"));
        let driver = Driver::start_with(&[("XDG_DATA_HOME", &share), ("XDG_CACHE_HOME", &cache)]);
        let c = launch().await;
        Scenario { c, data: share.join("uk.senco-toolkit.app"), _driver: driver, _home: home, _turn: turn }
    }

    /// A real school set up through the first-run screen, open at the worklist.
    async fn real_school() -> Scenario {
        let scenario = Scenario::empty().await;
        let c = &scenario.c;
        set_up_school(c, "meadow lantern quietly").await;
        click(c, "#recovery-confirm").await;
        click(c, "#recovery-continue").await;
        wait_for(c, "#worklist").await;
        scenario
    }

    /// Closes the app; the folders it used stay until the returned home is dropped.
    async fn close(self) -> tempfile::TempDir {
        let Scenario { c, _home: home, .. } = self;
        c.close().await.expect("the app closes");
        home
    }
}

/// Fills in the set-up screen and creates the school; returns the recovery key shown.
async fn set_up_school(c: &Client, passphrase: &str) -> String {
    click(c, "#setup-school").await;
    set(c, "#school-name", "Hillside Test Primary").await;
    set(c, "#school-urn", "118000").await;
    set(c, "#school-la", "886").await;
    set(c, "#school-estab", "2001").await;
    set(c, "#school-phase", "primary").await;
    set(c, "#passphrase", passphrase).await;
    set(c, "#passphrase-again", passphrase).await;
    screenshot(c, "setup").await;
    click(c, "#create-school").await;
    wait_for_text(c, "#recovery-key", "-").await
}

/// Not a UPN the demo's own feeder schools (2001 to 2040 and 2999) could have allocated.
fn marigolds_upn() -> String {
    Upn::from_parts(886, 2000, 2021, 17).to_string()
}

/// Adds Marigold Testworthy through the form (a wrong check letter refused first) and puts
/// her on SEN support for speech and language; ends on her record.
async fn add_marigold_on_sen_support(c: &Client) -> String {
    click(c, "#nav-register").await;
    click(c, "#add-pupil").await;
    set(c, "#pupil-upn", "A801200005001").await;
    set(c, "#pupil-legal-forename", "Marigold").await;
    set(c, "#pupil-legal-surname", "Testworthy").await;
    set(c, "#pupil-dob", "2017-03-14").await;
    set(c, "#pupil-sex", "F").await;
    set(c, "#pupil-year", "5").await;
    set(c, "#pupil-admission", "2021-09-01").await;
    click(c, "#pupil-save").await;
    wait_for_text(c, "#error-upn", "check letter").await;
    screenshot(c, "pupil-form-error").await;

    let upn = marigolds_upn();
    set(c, "#pupil-upn", &upn).await;
    click(c, "#pupil-save").await;
    wait_for_text(c, "#pupil-name", "Marigold").await;

    set(c, "#status-select", "senSupport").await;
    set(c, "#status-start", "2025-01-06").await;
    set(c, "#status-reason", "speech and language concerns").await;
    set(c, "#status-primary-need", "SLCN").await;
    click(c, "#status-save").await;
    wait_for_text(c, "#pupil-status", "SEN support").await;
    // British dates in WebKitGTK, whatever the locale .ci/test runs it under (LANG=C).
    wait_for_text(c, "#pupil-status", "since 6 January 2025").await;
    upn
}

/// Names in the data folder.
fn names_in(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder).expect("folder").map(|e| e.expect("entry").file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_school_opens_a_pupil_is_added_and_found_and_it_refuses_an_mis_file() {
    let scenario = Scenario::empty().await;
    let c = &scenario.c;
    wait_for(c, "#open-demo").await;
    screenshot(c, "first-run").await;
    click(c, "#open-demo").await;
    wait_for(c, "#worklist tbody tr[data-kind]").await;
    wait_for(c, "#demo-banner").await;
    screenshot(c, "worklist").await;
    click(c, "#nav-register").await;
    wait_for(c, "#register-table").await;
    screenshot(c, "register").await;
    // The commonest school laptop screen.
    c.set_window_size(1366, 768).await.expect("the window resizes");
    screenshot(c, "register-1366x768").await;

    // The demo is open to anyone: its pupil form says so beside the form.
    click(c, "#add-pupil").await;
    wait_for_text(c, "#pupil-demo-notice", "Use invented pupils only").await;
    screenshot(c, "pupil-form-demo").await;
    let upn = add_marigold_on_sen_support(c).await;
    screenshot(c, "pupil").await;

    click(c, "#back-to-register").await;
    set(c, "#filter-status", "senSupport").await;
    set(c, "#filter-need", "SLCN").await;
    set(c, "#register-search", "Testworthy").await;
    wait_for_text(c, "#register-counts", "1 pupil ").await;
    let rows = c.find_all(Locator::Css("#register-table tbody tr[data-upn]")).await.expect("rows");
    assert_eq!(rows.len(), 1, "the search narrows the filtered register to the new pupil");
    wait_for(c, &format!("#register-table tr[data-upn='{upn}']")).await;
    screenshot(c, "register-filtered").await;

    // An MIS file holds real children: the demo offers no way to import one.
    click(c, "#nav-import").await;
    wait_for_text(c, "#import-demo", "refuses it").await;
    assert!(c.find(Locator::Css("#import-file")).await.is_err(), "no file can be chosen in the demo");
    screenshot(c, "import-demo").await;
    click(c, "#import-setup-own").await;
    wait_for(c, "#school-name").await;
    let data = scenario.data.clone();
    let _home = scenario.close().await;

    // WebKit keeps its caches and storage in the cache folder, so "back up the data folder"
    // means exactly the school.
    let names = names_in(&data);
    assert!(names.iter().all(|n| n.starts_with("demo.senco") || n == "exports" || n == "backups"), "only the school's files are in the data folder: {names:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pupil_is_taken_through_a_whole_cycle() {
    let scenario = Scenario::demo().await;
    let upn = add_marigold_on_sen_support(&scenario.c).await;
    take_a_pupil_through_a_whole_cycle(&scenario.c, &upn).await;
    scenario.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_evidence_check_is_fixed_through_its_link_and_the_pack_is_built() {
    let scenario = Scenario::demo().await;
    add_marigold_on_sen_support(&scenario.c).await;
    let bundle = check_fix_and_build_a_pack(&scenario.c).await;
    let data = scenario.data.clone();
    let _home = scenario.close().await;
    assert!(bundle.starts_with(data.join("exports")), "the pack went to the exports folder: {}", bundle.display());
    let bytes = std::fs::read(&bundle).expect("the pack the app said it wrote is on disk");
    let (_, problems) = senco_core::pack::verify("the bundle", &bytes, None).expect("a bundle");
    assert!(problems.is_empty(), "the bundle verifies against its manifest: {problems:?}");
    assert_eq!(names_in(&data.join("exports")).len(), 1, "the bundle alone, no temporary file left");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_governors_view_leads_to_no_pupil_and_saves_its_pdf() {
    let scenario = Scenario::demo().await;
    let upn = add_marigold_on_sen_support(&scenario.c).await;
    let summary = governors_view_with_no_way_to_a_pupil(&scenario.c, &upn).await;
    let data = scenario.data.clone();
    let _home = scenario.close().await;
    assert!(summary.starts_with(data.join("exports")), "the governors' PDF went to the exports folder: {}", summary.display());
    assert!(std::fs::read(&summary).expect("the summary the app said it wrote is on disk").starts_with(b"%PDF-"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_real_school_imports_a_ctf_and_the_difference_goes_to_the_office() {
    let scenario = Scenario::real_school().await;
    let upn = add_marigold_on_sen_support(&scenario.c).await;
    import_a_ctf_and_see_the_difference_for_the_office(&scenario.c, &upn).await;
    scenario.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_records_screen_backs_up_and_lists_the_audit_trail() {
    let scenario = Scenario::demo().await;
    records_screen_backs_up_and_lists_the_audit_trail(&scenario.c).await;
    let data = scenario.data.clone();
    let _home = scenario.close().await;
    assert_eq!(names_in(&data.join("backups")).len(), 1, "one backup, from the Backup now button");
    assert!(data.join("../../cache/uk.senco-toolkit.app/webview").exists(), "the webview's data is in the cache folder");
}

#[tokio::test(flavor = "multi_thread")]
async fn locking_takes_every_pupil_off_the_page_and_opening_comes_back() {
    let scenario = Scenario::demo().await;
    locking_takes_every_pupil_off_the_page_and_unlocking_comes_back(&scenario.c).await;
    scenario.close().await;
}

/// The Backup and records screen in the real window at the commonest laptop size: a backup
/// written now, listed for restoring, and in the audit trail.
async fn records_screen_backs_up_and_lists_the_audit_trail(c: &Client) {
    click(c, "#nav-records").await;
    click(c, "#backup-now").await;
    wait_for_text(c, "#backup-done", ".senco-backup").await;
    screenshot(c, "records-backups").await;
    click(c, "#records-tab-audit").await;
    wait_for_text(c, "#audit-table", "backup").await;
    screenshot(c, "records-audit").await;
}

/// Locking (the button here; idle and sleep lock the same way) leaves no pupil on the
/// page: every name the register showed is gone from the document, not just hidden.
async fn locking_takes_every_pupil_off_the_page_and_unlocking_comes_back(c: &Client) {
    // The worklist names many pupils, and the register more.
    click(c, "#nav-worklist").await;
    wait_for(c, "#worklist tbody tr[data-upn]").await;
    let names = c
        .execute("return [...document.querySelectorAll('#worklist tbody tr[data-upn] button.link')].map(b => b.textContent.trim())", vec![])
        .await
        .expect("the worklist's names");
    let names: Vec<String> = serde_json::from_value(names).expect("a list of names");
    assert!(names.len() >= 10, "the worklist shows pupils before locking: {names:?}");
    click(c, "#nav-register").await;
    wait_for(c, "#register-table tbody tr[data-upn]").await;
    click(c, "#lock").await;
    wait_for(c, "#open-demo").await;
    screenshot(c, "locked").await;
    let page = c.execute("return document.documentElement.outerHTML + '\\n' + document.body.innerText", vec![]).await.expect("the page");
    let page = page.as_str().expect("text").to_string();
    for name in &names {
        assert!(!page.contains(name.as_str()), "{name} is still in the locked page");
    }
    // Opening again comes back to the same place.
    click(c, "#open-demo").await;
    wait_for(c, "#register-table tbody tr[data-upn]").await;
}

/// The evidence check in the real window: a missing consent, fixed through its link, then
/// the pack built with one click. Returns where the app says it wrote the bundle.
async fn check_fix_and_build_a_pack(c: &Client) -> PathBuf {
    click(c, "#nav-register").await;
    set(c, "#register-search", "Testworthy").await;
    wait_for_text(c, "#register-counts", "1 pupil ").await;
    click(c, "#register-table tbody tr[data-upn] button.name").await;
    wait_for(c, "#evidence-list li[data-rule='consent'][data-state='missing']").await;
    screenshot(c, "evidence-missing").await;
    click(c, "#evidence-list li[data-rule='consent'] button").await;
    click(c, "#consent-open").await;
    set(c, "#consent-kind", "shareInformation").await;
    set(c, "#consent-given-by", "Father (Sam Testworthy)").await;
    set(c, "#consent-date", &days_ago(1)).await;
    click(c, "#consent-save").await;
    wait_for(c, "li[data-consent='shareInformation']").await;
    click(c, "#evidence-check").await;
    wait_for(c, "#evidence-list li[data-rule='consent'][data-state='met']").await;
    click(c, "#pack-build").await;
    let path = wait_for_text(c, "#pack-path", ".zip").await;
    screenshot(c, "pack-built").await;
    PathBuf::from(path.trim())
}

/// The governors' view in the real window: the summary with its method and a drawn chart,
/// nothing that leads to a pupil (no link, no name, no UPN), and the board-pack PDF saved.
async fn governors_view_with_no_way_to_a_pupil(c: &Client, upn: &str) -> PathBuf {
    click(c, "#nav-governors").await;
    wait_for_text(c, "#governors-method", "are not shown (c)").await;
    wait_for(c, "canvas[role='img']").await;
    wait_for(c, "table").await;
    screenshot(c, "governors").await;
    let links = c.find_all(Locator::Css("main a[href*='#/pupil']")).await.expect("query");
    assert!(links.is_empty(), "the governors' view has no way to a pupil's record");
    let page = c.source().await.expect("page source");
    assert!(!page.contains("Testworthy") && !page.contains(upn), "the governors' view names no pupil");
    click(c, "#governors-export-pdf").await;
    let path = wait_for_text(c, "#governors-saved", ".pdf").await;
    PathBuf::from(path.trim().trim_start_matches("Saved to ").trim())
}

/// ISO date `days` before today, for the dates a SENCO types.
/// The import wizard in the real window: a CTF with two new pupils and the pupil this test
/// added, whom the MIS says has an EHC plan. The file goes in through the page's file input
/// (as a person choosing it would set it), is previewed, applied, and the difference is on
/// the office's list while the toolkit's record stays SEN support.
async fn import_a_ctf_and_see_the_difference_for_the_office(c: &Client, upn: &str) {
    let year = senco_core::pupil::academic_year(chrono::Local::now().date_naive()) - 3 - 5;
    let pupil = |upn: &str, surname: &str, forename: &str, dob: &str, year_group: &str, provision: &str, need: &str| {
        format!(
            "<Pupil><UPN>{upn}</UPN><Surname>{surname}</Surname><Forename>{forename}</Forename><DOB>{dob}</DOB><Sex>F</Sex>\
             <BasicDetails><NCyearActual>{year_group}</NCyearActual></BasicDetails><SENhistory><SEN><StartDate>2025-01-06</StartDate>\
             <SENprovision>{provision}</SENprovision></SEN><SENneeds><SENneed><SENtypeRank>1</SENtypeRank><SENtype>{need}</SENtype></SENneed></SENneeds></SENhistory></Pupil>"
        )
    };
    let ctf = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><CTfile><Header><CTFversion>26.0</CTFversion><SourceSchool><LEA>886</LEA><Estab>7777</Estab></SourceSchool>\
         <DestSchool><LEA>886</LEA><Estab>2001</Estab></DestSchool></Header><CTFpupilData>{}{}{}</CTFpupilData></CTfile>",
        pupil("Z886777726901", "WINDOWLY", "ALBA", &format!("{year}-10-15"), "3", "K", "SLCN"),
        pupil("N886777726902", "GLASSFORD", "CERYS", &format!("{}-02-02", year + 1), "3", "K", "ASD"),
        pupil(upn, "TESTWORTHY", "MARIGOLD", "2017-03-14", "5", "E", "SLCN"),
    );
    click(c, "#nav-import").await;
    click(c, "#import-source-ctf").await;
    // A file input cannot be typed into; this is what choosing a file does to it.
    c.execute(
        "const input = document.querySelector('#import-file');
         const files = new DataTransfer();
         files.items.add(new File([arguments[0]], 'pupils.xml', { type: 'text/xml' }));
         input.files = files.files;
         input.dispatchEvent(new Event('change', { bubbles: true }));",
        vec![ctf.into()],
    )
    .await
    .expect("the file is chosen");
    click(c, "#import-preview").await;
    wait_for_text(c, "#import-tabs, [role=tablist]", "New pupils (2)").await;
    wait_for_text(c, "[role=tablist]", "SEN differences (1)").await;
    screenshot(c, "import-preview").await;
    click(c, "#import-apply").await;
    wait_for_text(c, "#import-result", "Imported: 2 new pupils, 0 updated, 1 SEN difference for the office").await;
    screenshot(c, "import-result").await;
    click(c, "#import-to-differences").await;
    let list = wait_for_text(c, "main", "EHC plan").await;
    assert!(list.contains("Testworthy") && list.contains("SEN support"), "the office list names the pupil and both values: {list}");
    screenshot(c, "reconcile").await;
}

fn days_ago(days: i64) -> String {
    (chrono::Local::now().date_naive() - chrono::Duration::days(days)).to_string()
}

/// The "done means": assess; plan with 3 outcomes, 4 strategies and 2
/// interventions; log 5 sessions; review and lock; start the next cycle; and see the
/// worklist change.
async fn take_a_pupil_through_a_whole_cycle(c: &Client, upn: &str) {
    click(c, "#nav-worklist").await;
    let row = format!("#worklist tr[data-kind='no_open_cycle'][data-upn='{upn}'] button");
    click(c, &row).await;
    wait_for_text(c, "#pupil-name", "Marigold").await;

    click(c, "#cycle-start").await;
    set(c, "#assess-date", &days_ago(30)).await;
    set(c, "#assess-by", "Ms Okafor, SENCO").await;
    click(c, "input[value='teacherAssessment']").await;
    click(c, "input[value='parentViews']").await;
    set(c, "#assess-area-0", "communicationAndInteraction").await;
    set(c, "#assess-summary-0", "Finds spoken instructions hard to follow.").await;
    click(c, "#assess-save").await;
    wait_for(c, "#open-cycle[data-stage='assess']").await;

    click(c, "#cycle-plan").await;
    set(c, "#plan-date", &days_ago(28)).await;
    click(c, "#plan-told").await;
    set(c, "#plan-notice-date", &days_ago(28)).await;
    let outcomes = [
        ("communicationAndInteraction", "Follows a two-step instruction", "4 of 5 lessons", "Needs it repeated", "First time"),
        ("communicationAndInteraction", "Takes turns in a group game", "Three sessions in a row", "Two minutes", "Ten minutes"),
        ("socialEmotionalMentalHealth", "Names a feeling and a calming strategy", "Twice a week unprompted", "Prompted", "Unprompted"),
    ];
    for (i, (area, description, criterion, baseline, target)) in outcomes.iter().enumerate() {
        if i > 0 {
            click(c, "#outcome-add").await;
        }
        set(c, &format!("#outcome-area-{i}"), area).await;
        set(c, &format!("#outcome-description-{i}"), description).await;
        set(c, &format!("#outcome-criterion-{i}"), criterion).await;
        set(c, &format!("#outcome-baseline-{i}"), baseline).await;
        set(c, &format!("#outcome-target-{i}"), target).await;
    }
    wait_for_text(c, ".catalogue-notice", "not Kent's wording").await;
    set(c, "#strategy-area", "communicationAndInteraction").await;
    for n in 1..=4 {
        click(c, "ul.candidates input[data-item]").await;
        let ticked = c.find_all(Locator::Css("ul.ticked li")).await.expect("ticked strategies");
        assert_eq!(ticked.len(), n, "each tick moves one strategy into the plan");
    }
    for key in ["talkabout", "lego-based-therapy"] {
        set(c, "#intervention-choose", key).await;
        click(c, "#intervention-add").await;
    }
    click(c, "#plan-save").await;
    wait_for(c, "#open-cycle[data-stage='plan']").await;
    screenshot(c, "cycle-planned").await;

    for days in [26, 24, 21, 19, 17] {
        click(c, "#cycle-session").await;
        set(c, "#log-intervention", "talkabout").await;
        set(c, "#log-date", &days_ago(days)).await;
        click(c, "#log-save").await;
        // This session's own message: the stage is "do" from the first session on.
        let day = chrono::Local::now().date_naive() - chrono::Duration::days(days);
        wait_for_text(c, "main", &format!("Session on {} logged", senco_core::dates::short(day))).await;
        wait_for(c, "#open-cycle[data-stage='do']").await;
        wait_for(c, "#cycle-session").await;
    }
    wait_for_text(c, "#cycle-interventions tr[data-intervention='talkabout']", "5 of").await;

    click(c, "#cycle-review").await;
    for i in 0..3 {
        set(c, &format!("#rating-{i}"), if i == 2 { "0" } else { "1" }).await;
        set(c, &format!("#evidence-{i}"), "Observed in class and in the group").await;
    }
    set(c, "#review-decision", "continue").await;
    click(c, "#review-save").await;
    screenshot(c, "review-confirm").await;
    click(c, "#review-confirm button[type='submit']").await;
    wait_for(c, "details.closed[data-cycle='1']").await;

    click(c, "#cycle-start").await;
    set(c, "#assess-by", "Ms Okafor, SENCO").await;
    click(c, "input[value='teacherAssessment']").await;
    set(c, "#assess-area-0", "communicationAndInteraction").await;
    set(c, "#assess-summary-0", "Follows most instructions now; turn-taking still hard.").await;
    click(c, "#assess-save").await;
    wait_for_text(c, "#open-cycle h3", "Cycle 2").await;
    screenshot(c, "cycle-next").await;

    click(c, "#nav-worklist").await;
    wait_for(c, "#worklist tbody tr").await;
    let still = c.find_all(Locator::Css(&format!("#worklist tr[data-upn='{upn}']"))).await.expect("rows");
    assert!(still.is_empty(), "with a cycle open, the pupil has left the worklist");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_school_is_set_up_restarted_refuses_a_wrong_passphrase_and_unlocks() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let data = tempfile::tempdir().expect("empty data directory");
    let _driver = Driver::start(data.path());
    let passphrase = "meadow lantern quietly";
    let recovery_key;
    {
        let c = launch().await;
        let key = set_up_school(&c, passphrase).await;
        assert_eq!(key.trim().len(), 29, "five groups of five: {key:?}");
        recovery_key = key.trim().to_string();
        screenshot(&c, "recovery-key").await;
        click(&c, "#recovery-confirm").await;
        click(&c, "#recovery-continue").await;
        wait_for(&c, "#worklist").await;
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
    wait_for(&c, "#worklist").await;

    // Locked again, the SENCO has forgotten the passphrase: the recovery key opens the
    // school and sets a new one, and the old passphrase stops working.
    click(&c, "#lock").await;
    click(&c, "#recovery-toggle").await;
    set(&c, "#recovery-key-input", &recovery_key.to_lowercase()).await;
    set(&c, "#new-passphrase", "harbour kettle evening").await;
    set(&c, "#new-passphrase-again", "harbour kettle evening").await;
    click(&c, "#recovery-submit").await;
    wait_for(&c, "#worklist").await;
    click(&c, "#lock").await;
    set(&c, "#unlock-passphrase", passphrase).await;
    click(&c, "#unlock-submit").await;
    wait_for_text(&c, "#unlock-error", "not right").await;
    set(&c, "#unlock-passphrase", "harbour kettle evening").await;
    click(&c, "#unlock-submit").await;
    wait_for(&c, "#worklist").await;
    c.close().await.expect("the app closes");
}
