//! The statutory clock on the command line: no school and no passphrase needed.

use std::process::{Command, Output};

fn senco(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_senco"))
        .args(args)
        .env_remove("SENCO_PASSPHRASE")
        .env("SENCO_DATA_DIR", std::env::temp_dir().join("senco-no-school-here"))
        .output()
        .expect("senco runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn the_clock_gives_each_statutory_date_from_the_day_the_la_received_the_request() {
    let out = senco(&["request", "clock", "--sent", "27/02/2026", "--received", "2 Mar 2026", "--today", "2026-04-20"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    assert!(table.contains("received by the LA 2 Mar 2026"), "{table}");
    // Each step is a line (its date, what it is, where it stands) and then its limit.
    let step = |what: &str| table.lines().find(|l| l.contains(what)).unwrap_or_else(|| panic!("a line for {what}: {table}"));
    let decision = step("The LA decides whether to assess");
    assert!(decision.starts_with("Mon 13 Apr 2026") && decision.ends_with("overdue by 7 days"), "{table}");
    assert!(step("The school gives the LA its advice").contains("the 6 weeks start when the LA asks for the school's advice"), "{table}");
    let draft = step("The LA sends a draft plan");
    assert!(draft.starts_with("Mon 22 Jun 2026") && draft.ends_with("if the LA will not issue a plan, it must say so by 22 Jun 2026"), "{table}");
    assert!(step("The family comments on the draft").ends_with("date set by the step before"), "{table}");
    assert!(step("The LA issues the final EHC plan").starts_with("Mon 20 Jul 2026"), "{table}");
    assert!(table.contains("at least 15 days from the draft, counting its day (reg 13(1)(a))"), "{table}");

    let json = senco(&["request", "clock", "--sent", "2026-03-02", "--format", "json", "--today", "2026-03-02"]);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    let dues: Vec<&str> = value["steps"].as_array().unwrap().iter().map(|s| s["due"].as_str().unwrap_or("")).collect();
    assert_eq!(dues, ["2026-04-13", "", "2026-06-22", "", "2026-07-20"]);
    assert_eq!(value["steps"][0]["status"]["state"], "due");
}

#[test]
fn a_date_that_does_not_exist_or_a_receipt_before_sending_is_a_usage_mistake() {
    let out = senco(&["request", "clock", "--sent", "2026-02-30"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--sent") && text(&out.stderr).contains("does not exist"), "{}", text(&out.stderr));
    let out = senco(&["request", "clock", "--sent", "2026-03-02", "--received", "2026-03-01"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("comes before --sent"), "{}", text(&out.stderr));
}
