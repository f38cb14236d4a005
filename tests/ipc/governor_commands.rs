//! The governors' view through the commands, on the demo school: a summary with small
//! numbers hidden, charts from the same figures, the files written into `exports`, a lowered
//! threshold refused, and the budget recorded.

use serde_json::json;

use super::App;

#[test]
fn the_governors_view_shows_only_the_suppressed_summary() {
    let app = App::new();
    app.ok("open_demo", json!({}));
    let view = app.ok("governor_summary", json!({ "census": null, "threshold": null }));
    let published = &view["published"];
    assert_eq!(published["threshold"], 5);
    assert!(published["method"].as_str().unwrap().contains("Counts from 1 to 4 are not shown"));
    assert_eq!(view["defaultThreshold"], 5);
    assert!(!view["censusDays"].as_array().unwrap().is_empty());
    assert_eq!(published["census_date"], view["censusDays"][0], "the latest census day is the default");
    assert!(view["charts"].as_array().unwrap().len() >= 2, "charts come from the core");
    for t in published["tables"].as_array().unwrap() {
        for r in t["rows"].as_array().unwrap() {
            for c in r["cells"].as_array().unwrap() {
                let n = &c["count"];
                assert!(n == "c" || n.as_u64().is_some_and(|n| n == 0 || n >= 5), "{} / {}: {n}", t["id"], r["label"]);
            }
        }
    }
    // Nothing in the view carries a pupil's id, name or UPN.
    let text = view.to_string();
    assert!(!text.contains("\"upn\"") && !text.contains("\"pupilId\"") && !text.contains("\"id\":1"), "{text}");

    let earlier = view["censusDays"][1].as_str().unwrap().to_string();
    let other = app.ok("governor_summary", json!({ "census": earlier, "threshold": 10 }));
    assert_eq!(other["published"]["census_date"], json!(earlier));
    assert_eq!(other["published"]["threshold"], 10);

    let refused = app.call("governor_summary", json!({ "census": null, "threshold": 2 })).unwrap_err();
    assert_eq!(refused["code"], "invalid");
    assert_eq!(refused["fields"][0]["field"], "threshold");

    for format in ["pdf", "html", "json", "aggregate"] {
        let path = app.ok("governor_export", json!({ "format": format, "census": null, "threshold": null }));
        let path = std::path::PathBuf::from(path.as_str().unwrap());
        assert!(path.starts_with(app.dir.path().join("exports")), "{}", path.display());
        assert!(path.exists());
    }

    assert_eq!(app.ok("budget_set", json!({ "pence": 8_400_000 })), json!(8_400_000));
    let view = app.ok("governor_summary", json!({ "census": null, "threshold": null }));
    assert_eq!(view["budgetPence"], 8_400_000);
    assert!(view["published"]["measures"].as_array().unwrap().iter().any(|m| m["id"] == "budget" && m["value"] == "£84,000.00"));
    assert_eq!(app.code("budget_set", json!({ "pence": -5 })), "invalid");
    assert_eq!(app.ok("budget_set", json!({ "pence": null })), json!(null));

    // The SENCO and the review dates: every bad field named at once, then kept and shown.
    let bad = json!({ "duties": { "sencoName": "Ms \u{202E}Example", "qualification": "held", "sencoAppointed": "31/02/2024", "senReportReviewed": "", "accessibilityPlanReviewed": "" } });
    let refused = app.call("duties_set", bad).expect_err("a bad form is refused");
    let fields: Vec<&str> = refused["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["sencoName", "sencoAppointed"], "{refused}");
    let good = json!({ "duties": { "sencoName": "Ms A Example", "qualification": "held", "sencoAppointed": "2019-09-02", "senReportReviewed": "14/07/2025", "accessibilityPlanReviewed": "" } });
    let kept = app.ok("duties_set", good);
    assert_eq!(kept["senReportReviewed"], "2025-07-14");
    assert_eq!(app.ok("library", json!({}))["duties"]["sencoName"], "Ms A Example");
    let view = app.ok("governor_summary", json!({ "census": null, "threshold": null }));
    assert!(view["published"]["measures"].as_array().unwrap().iter().any(|m| m["id"] == "senco" && m["value"] == "Ms A Example"));
}
