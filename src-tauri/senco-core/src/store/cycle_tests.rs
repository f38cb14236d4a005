//! A term of SEN support through the store: assess, plan, do, review, lock and amend, the
//! rules that refuse bad input without changing anything, the worklist and the costs.

use super::tests::{new_school, pupil};
use super::*;
use crate::apdr::*;
use crate::census::{BroadArea, NeedCode, SenStatus};
use crate::people::{Involvement, ParentMeeting, Recommendation, Service};
use crate::pupil::PupilId;
use crate::sen::StatusChange;

fn day(s: &str) -> Stamp {
    Stamp::on(s.parse().unwrap())
}

fn assess() -> StageDocument {
    StageDocument::Assess {
        schema: 1,
        assessment: Assessment {
            date: "8/9/25".into(),
            assessed_by: "Ms Okafor (SENCO)".into(),
            sources: vec![AssessmentSource::TeacherAssessment, AssessmentSource::ParentViews],
            baselines: vec![Baseline { name: "Standardised reading score".into(), score: "78".into(), date: "5/9/25".into(), expected: "85 to 115".into() }],
            needs: vec![AreaSummary { area: BroadArea::CognitionAndLearning, summary: "Decoding well behind peers".into() }],
            parent_view: Some(View { text: "She hates reading aloud".into(), date: "8/9/25".into() }),
            pupil_view: None,
        },
    }
}

fn outcome(n: u32) -> Outcome {
    Outcome {
        area: BroadArea::CognitionAndLearning,
        pfa: None,
        description: format!("Outcome {n}"),
        success_criterion: "Seen in three lessons in a row".into(),
        baseline: "Not yet".into(),
        target: "Independently".into(),
    }
}

fn plan() -> Plan {
    Plan {
        date: "15/9/25".into(),
        parent_notice: Some(ParentNotice { date: "15/9/25".into(), method: NoticeMethod::Letter }),
        outcomes: vec![outcome(1), outcome(2), outcome(3)],
        strategies: ["MCS.S2.CL.STRAT.01", "MCS.S2.CL.STRAT.02", "MCS.S1.TL.01", "MCS.S2.CI.STRAT.01"]
            .iter()
            .map(|id| StrategyTick { item_id: id.to_string(), note: "daily".into(), catalogue: String::new(), version: String::new(), item_text: String::new() })
            .collect(),
        interventions: vec![
            PlannedIntervention {
                intervention: "precision-teaching".into(),
                sessions_per_week: 3,
                minutes_per_session: 10,
                group_size: 1,
                staff_role: "ta".into(),
                start_date: "15/9/25".into(),
                end_date: "19/12/25".into(),
                weeks: Some(12),
                resources_pence: 0,
            },
            PlannedIntervention {
                intervention: "lego-based-therapy".into(),
                sessions_per_week: 1,
                minutes_per_session: 45,
                group_size: 3,
                staff_role: "ta".into(),
                start_date: "15/9/25".into(),
                end_date: "19/12/25".into(),
                weeks: None,
                resources_pence: 1000,
            },
        ],
        all_adults: "Give instructions one at a time".into(),
        review_date: "8/12/25".into(),
    }
}

fn on_sen_support(store: &mut Store, upn: &str, surname: &str) -> PupilId {
    let ada = store.add_pupil(&pupil(upn, surname), day("2025-09-01")).unwrap();
    let change = StatusChange { status: SenStatus::SenSupport, start_date: "2025-09-01".into(), reason: "reading".into(), primary_need: Some(NeedCode::SPLD) };
    store.set_status(ada.id, &change, day("2025-09-01")).unwrap();
    ada.id
}

fn refused(result: Result<impl std::fmt::Debug>) -> String {
    result.expect_err("must be refused").to_string()
}

#[test]
fn a_term_of_sen_support_runs_through_assess_plan_do_review_and_locks() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, ..) = new_school(dir.path());
    let ada = on_sen_support(&mut store, "J886123425001", "Quill");

    // K with no open cycle is on the worklist.
    let kinds = |store: &Store, on: &str| store.worklist(on.parse().unwrap()).unwrap().into_iter().map(|w| w.kind).collect::<Vec<_>>();
    assert_eq!(kinds(&store, "2025-09-02"), [WorkKind::NoOpenCycle]);

    // Planning before assessing is refused.
    let plan_doc = StageDocument::Plan { schema: 1, plan: plan() };
    assert!(refused(store.record_stage(ada, None, &plan_doc, day("2025-09-15"))).contains("no open cycle"));

    let cycle = store.record_stage(ada, None, &assess(), day("2025-09-08")).unwrap();
    assert_eq!((cycle.number, cycle.stage), (1, CycleStage::Assess));
    let cycle = store.record_stage(ada, None, &plan_doc, day("2025-09-15")).unwrap();
    assert_eq!(cycle.stage, CycleStage::Plan);
    let plan = cycle.plan.unwrap();
    assert_eq!(plan.strategies[0].version, "2026.1", "the tick keeps the catalogue version");
    assert!(!plan.strategies[0].item_text.is_empty());
    // 1 a week × 13 whole weeks (15 Sep to 19 Dec) × 45 min = 9.75 hours at £20.00 = £195.00,
    // shared by 3 = £65.00, plus £10 of resources.
    assert_eq!(plan.interventions[1].weeks, Some(13));
    assert_eq!(cycle.interventions[1].planned_cost_pence, 6_500 + 1000);
    // 3 × 12 × 10 minutes = 6 hours at £20.00, one to one.
    assert_eq!(cycle.interventions[0].planned_cost_pence, 12_000);

    // A second open cycle is refused and changes nothing.
    assert!(refused(store.record_stage(ada, None, &assess(), day("2025-09-20"))).contains("review it and sign it off"));

    // Five sessions, logged one step at a time for the group.
    let bob = on_sen_support(&mut store, "K886200724123", "Rook");
    store.record_stage(bob, None, &assess(), day("2025-09-08")).unwrap();
    store.record_stage(bob, None, &plan_doc, day("2025-09-15")).unwrap();
    for date in ["2025-09-16", "2025-09-23", "2025-09-30", "2025-10-07", "2025-10-14"] {
        let n = store.log_group_session("lego-based-therapy", date, 45, &[(ada, true), (bob, date != "2025-09-23")], "", day(date)).unwrap();
        assert_eq!(n, 2);
    }
    // Logging the same session twice is refused for the whole group, with the pupil named.
    let twice = refused(store.log_group_session("lego-based-therapy", "2025-10-14", 45, &[(ada, true), (bob, true)], "", day("2025-10-14")));
    assert!(twice.contains("Ada Quill") && twice.contains("already logged on 14 Oct 2025"), "{twice}");
    let cycle = store.cycles(bob).unwrap().remove(0);
    let lego = &cycle.interventions[1];
    assert_eq!((lego.sessions_delivered, lego.sessions_attended, lego.minutes_delivered), (5, 4, 225));
    // 225 minutes at £20.00 shared by 3 = £25.00, plus resources once delivery starts.
    assert_eq!(lego.cost_to_date_pence, 2500 + 1000);
    assert_eq!(cycle.stage, CycleStage::Do);

    // Review: before the plan, or with a rating off the scale, is refused.
    let mut review = Review {
        date: "10/12/25".into(),
        ratings: (1..=3).map(|n| OutcomeRating { outcome: n, rating: 1, evidence: "Observed".into() }).collect(),
        parent_view: Some(View { text: "Happier".into(), date: "10/12/25".into() }),
        pupil_view: None,
        decision: Decision::Continue,
        next_review_date: Some("13/3/26".into()),
        sign_off: true,
    };
    let early = StageDocument::Review { schema: 1, review: Review { date: "1/9/25".into(), ..review.clone() } };
    assert!(refused(store.record_stage(ada, None, &early, day("2025-12-10"))).contains("before the plan it reviews"));
    assert_eq!(kinds(&store, "2025-12-10"), [WorkKind::ReviewOverdue, WorkKind::ReviewOverdue]);
    let closed = store.record_stage(ada, Some(1), &StageDocument::Review { schema: 1, review: review.clone() }, day("2025-12-10")).unwrap();
    assert_eq!((closed.stage, closed.locked_on.as_deref()), (CycleStage::Closed, Some("2025-12-10")));

    // A locked cycle changes only by amendment.
    review.ratings[0].rating = 2;
    let edit = StageDocument::Review { schema: 1, review };
    assert!(refused(store.record_stage(ada, Some(1), &edit, day("2025-12-11"))).contains("signed off on 10 Dec 2025 and is locked"));
    let amended = store.amend_cycle(ada, 1, "Outcome 1 was exceeded: the reading age rose by 14 months", day("2025-12-11")).unwrap();
    assert_eq!(amended.amendments[0].made_on, "2025-12-11");
    assert!(store.audit_trail(1).unwrap()[0].summary.contains("cycle 1 amended"));

    // The next cycle starts, and the worklist no longer lists Ada's overdue review.
    let next = store.record_stage(ada, None, &assess(), day("2025-12-12"));
    assert!(refused(next).contains("before the review that closed cycle 1"));
    let mut again = assess();
    if let StageDocument::Assess { assessment, .. } = &mut again {
        assessment.date = "12/12/25".into();
    }
    assert_eq!(store.record_stage(ada, None, &again, day("2025-12-12")).unwrap().number, 2);
    let left: Vec<PupilId> = store.worklist("2025-12-12".parse().unwrap()).unwrap().into_iter().filter(|w| w.kind == WorkKind::ReviewOverdue).map(|w| w.pupil_id).collect();
    assert_eq!(left, [bob]);
}

#[test]
fn bad_plans_are_refused_whole_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, ..) = new_school(dir.path());
    let ada = on_sen_support(&mut store, "J886123425001", "Quill");
    store.record_stage(ada, None, &assess(), day("2025-09-08")).unwrap();
    let before = store.cycles(ada).unwrap();
    let mut bad = plan();
    bad.strategies[0].item_id = "MCS.NOPE.01".into();
    bad.interventions[0].intervention = "juggling".into();
    let error = store.record_stage(ada, None, &StageDocument::Plan { schema: 1, plan: bad }, day("2025-09-15")).unwrap_err();
    let fields: Vec<&str> = error.fields().iter().map(|p| p.field.as_str()).collect();
    assert_eq!(fields, ["strategies[0].itemId", "interventions[0].intervention"]);
    let mut presentation = plan();
    presentation.strategies[0].item_id = "MCS.S2.CI.PRES.01".into();
    assert!(refused(store.record_stage(ada, None, &StageDocument::Plan { schema: 1, plan: presentation }, day("2025-09-15"))).contains("not provision"));
    let mut no_outcome = plan();
    no_outcome.outcomes.clear();
    assert!(refused(store.record_stage(ada, None, &StageDocument::Plan { schema: 1, plan: no_outcome }, day("2025-09-15"))).contains("at least one outcome"));
    assert_eq!(store.cycles(ada).unwrap(), before, "nothing changed");
}

#[test]
fn the_worklist_counts_parent_meetings_pro_rata_and_unacted_advice() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, ..) = new_school(dir.path());
    let ada = on_sen_support(&mut store, "J886123425001", "Quill");
    let meeting = ParentMeeting { date: "2025-10-01".into(), attendees: "Mother, SENCO".into(), summary: "Agreed targets".into(), actions: String::new() };
    store.add_parent_meeting(ada, &meeting, day("2025-10-01")).unwrap();
    let kinds = |store: &Store, on: &str| store.worklist(on.parse().unwrap()).unwrap().into_iter().filter(|w| w.kind == WorkKind::FewParentMeetings).count();
    // One meeting covers the first two thirds of the year; from early May two are expected.
    assert_eq!(kinds(&store, "2025-12-20"), 0);
    assert_eq!(kinds(&store, "2026-03-01"), 0);
    assert_eq!(kinds(&store, "2026-05-10"), 1);

    let involvement = Involvement {
        service: Service::SpeechAndLanguage,
        referral_date: Some("2025-09-10".into()),
        seen_date: Some("2025-10-20".into()),
        report_date: Some("2025-11-03".into()),
        advice: "Pre-teach vocabulary".into(),
        recommendations: vec![Recommendation { text: "Pre-teach topic words weekly".into(), acted_on: None, acted_how: String::new() }],
    };
    let record = store.add_involvement(ada, &involvement, day("2025-11-05")).unwrap();
    let advice = store.worklist("2025-11-06".parse().unwrap()).unwrap().into_iter().find(|w| w.kind == WorkKind::RecommendationNotActedOn).unwrap();
    assert_eq!((advice.due.as_str(), advice.overdue), ("2025-11-03", true));
    store.act_on_recommendation(record.id, 1, "10/11/25", "Added to the weekly vocabulary group", day("2025-11-10")).unwrap();
    assert!(store.worklist("2025-11-11".parse().unwrap()).unwrap().iter().all(|w| w.kind != WorkKind::RecommendationNotActedOn));

    // Reports are kept inside the store; other files are refused by their contents.
    let pdf = b"%PDF-1.4\n% a small report\n";
    let info = store.attach_report(record.id, "salt-report.pdf", pdf, day("2025-11-10")).unwrap();
    assert_eq!(store.attachment(info.id).unwrap().2, pdf);
    assert!(refused(store.attach_report(record.id, "virus.pdf", b"MZ\x90\0", day("2025-11-10"))).contains("not a PDF, PNG or JPEG"));

    // A copy can be saved outside the store: whole, owner-only, named safely, audited.
    assert!(refused(store.attach_report(record.id, "\u{202E}fdp.exe", pdf, day("2025-11-10"))).contains("file name"), "reversed text is refused");
    let hostile = store.attach_report(record.id, "../../EP report: final?.pdf", pdf, day("2025-11-10")).unwrap();
    let exports = dir.path().join("exports");
    let saved = store.save_attachment_copy(hostile.id, &exports, day("2025-11-11")).unwrap();
    assert_eq!(saved, exports.join(format!("report-{}-EP report_ final.pdf", hostile.id)), "the copy stays in the folder it was asked for");
    assert_eq!(std::fs::read(&saved).unwrap(), pdf);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&saved).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(std::fs::metadata(&exports).unwrap().permissions().mode() & 0o777, 0o700);
    }
    let audit = store.audit_trail(1000).unwrap();
    assert!(audit.iter().any(|a| a.action == "save-report-copy" && a.summary.contains("outside the encrypted store")));
    // A folder that cannot be made (a file stands in its place) names it and changes
    // nothing, the audit trail included.
    let blocked = dir.path().join("blocked");
    std::fs::write(&blocked, b"not a folder").unwrap();
    let before = store.audit_trail(1000).unwrap().len();
    let message = refused(store.save_attachment_copy(info.id, &blocked, day("2025-11-12")));
    assert!(message.contains("blocked"), "{message}");
    assert_eq!(store.audit_trail(1000).unwrap().len(), before);
    assert_eq!(std::fs::read(&blocked).unwrap(), b"not a folder");
    assert!(refused(store.save_attachment_copy(9_999, &exports, day("2025-11-12"))).contains("attachment"));
}

#[test]
fn the_provision_map_totals_pupils_against_the_threshold() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, ..) = new_school(dir.path());
    let ada = on_sen_support(&mut store, "J886123425001", "Quill");
    store.record_stage(ada, None, &assess(), day("2025-09-08")).unwrap();
    store.record_stage(ada, None, &StageDocument::Plan { schema: 1, plan: plan() }, day("2025-09-15")).unwrap();
    store.set_threshold_pence(15_000, day("2025-09-15")).unwrap();
    let map = store.provision_map(2025).unwrap();
    assert_eq!(map.rows.len(), 2);
    assert_eq!(map.pupils[0].planned_cost_pence, 12_000 + 7_500);
    assert!(map.pupils[0].over_threshold, "£195 is over a £150 threshold");
    assert_eq!(map.school_planned_pence, 19_500);
    assert_eq!(map.by_area.len(), 2, "{:?}", map.by_area);
    assert!(store.provision_map(2024).unwrap().rows.is_empty(), "a plan from September 2025 is in 2025/26 only");
    let csv = provision_csv(&map);
    assert!(csv.starts_with('\u{FEFF}'));
    assert!(csv.contains("\r\n,\"School total, 2025/26\",,,,,,,,,,,,,195.00,,0.00\r\n"), "{csv}");
}

#[test]
fn a_catalogue_file_over_the_limit_is_refused_and_loads_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, ..) = new_school(dir.path());
    let mut huge = String::from("catalogue: Big\nversion: 1\nprefix: BIG\nsection S1: All\n  heading H: One\n");
    while huge.len() <= crate::catalogue::FILE_MAX_BYTES {
        huge.push_str("# padding padding padding padding padding padding padding padding\n");
    }
    assert!(refused(store.load_catalogue(&huge, day("2025-09-01"))).contains("larger than 5 MB, the most a catalogue file may be"));
    assert_eq!(store.catalogues().unwrap().len(), 1, "only the shipped catalogue");
}

#[test]
fn a_catalogue_without_its_headers_is_refused_by_load_as_check_refuses_it() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, ..) = new_school(dir.path());
    let body = "section S1: All\n  heading H: One\n    item 01: Fine\n";
    let no_name = format!("prefix: OAP\n{body}");
    let why = refused(store.load_catalogue(&no_name, day("2025-09-01")));
    assert!(why.contains("the `catalogue:` header is missing") && why.contains("nothing was loaded"), "{why}");
    let long_name = format!("catalogue: {}\nversion: 1\nprefix: OAP\n{body}", "N".repeat(101));
    let why = refused(store.load_catalogue(&long_name, day("2025-09-01")));
    assert!(why.contains("the catalogue header is 101 characters long; at most 100"), "{why}");
    let long_version = format!("catalogue: Other LA\nversion: {}\nprefix: OAP\n{body}", "9".repeat(41));
    assert!(refused(store.load_catalogue(&long_version, day("2025-09-01"))).contains("the version header is 41 characters long"));
    assert_eq!(store.catalogues().unwrap().len(), 1, "only the shipped catalogue");
    let good = format!("catalogue: Other LA\nversion: 3\nprefix: OAP\n{body}");
    assert_eq!(store.load_catalogue(&good, day("2025-09-01")).unwrap().0.name, "Other LA");
}

#[test]
fn a_request_for_an_ehc_needs_assessment_runs_its_clock_into_the_worklist() {
    use crate::statutory::{AssessDecision, RequestEvent, StepState};
    let dir = tempfile::tempdir().unwrap();
    let (mut store, ..) = new_school(dir.path());
    let ada = on_sen_support(&mut store, "J886123425001", "Quill");
    let bea = store.add_pupil(&pupil("K886200724123", "Moss"), day("2025-09-01")).unwrap().id;
    assert!(refused(store.add_request(bea, "2026-03-02".parse().unwrap(), None, day("2026-03-02"))).contains("on SEN support or with an EHC plan"));

    let sent: chrono::NaiveDate = "2026-02-27".parse().unwrap();
    let received: chrono::NaiveDate = "2026-03-02".parse().unwrap();
    assert!(refused(store.add_request(ada, received, Some(sent), day("2026-03-02"))).contains("before it was sent"));
    let request = store.add_request(ada, sent, Some(received), day("2026-03-02")).unwrap();
    assert_eq!(request.steps[0].due, Some("2026-04-13".parse().unwrap()));
    assert!(refused(store.add_request(ada, sent, None, day("2026-03-03"))).contains("still running"), "one running request at a time");

    // Nothing for the worklist until the decision is within 14 days, then it is due, then late.
    let kinds = |store: &Store, on: &str| store.worklist(on.parse().unwrap()).unwrap().into_iter().filter(|w| w.kind == WorkKind::RequestStepDue).collect::<Vec<_>>();
    assert!(kinds(&store, "2026-03-20").is_empty());
    assert!(kinds(&store, "2026-04-01")[0].detail.starts_with("The LA decides whether to assess: due 13 Apr 2026"));
    let late = kinds(&store, "2026-04-20");
    assert!(late[0].overdue && late[0].detail.contains("7 days ago"), "{late:?}");

    let decided = store.record_request_step(request.id, &RequestEvent::Decision { date: "2026-04-20".parse().unwrap(), decision: AssessDecision::Assess }, day("2026-04-21")).unwrap();
    assert_eq!(decided.steps[0].status, StepState::Late { days: 7 });
    assert!(kinds(&store, "2026-04-21").is_empty(), "the draft is not due for weeks");
    let before = store.requests(ada, "2026-04-21".parse().unwrap()).unwrap();
    assert!(refused(store.record_request_step(request.id, &RequestEvent::FinalPlan { date: "2026-04-21".parse().unwrap() }, day("2026-04-21"))).contains("record the draft plan before"));
    assert_eq!(store.requests(ada, "2026-04-21".parse().unwrap()).unwrap(), before, "a refused step changes nothing");
    assert!(refused(store.record_request_step(99, &RequestEvent::Comments { date: "2026-04-21".parse().unwrap() }, day("2026-04-21"))).contains("request"));

    // Reg 8: the LA asks the school for advice; the school has 6 weeks, on its worklist.
    let advice = |store: &Store, on: &str| store.worklist(on.parse().unwrap()).unwrap().into_iter().filter(|w| w.kind == WorkKind::AdviceDue).collect::<Vec<_>>();
    store.record_request_step(request.id, &RequestEvent::AdviceAsked { date: "2026-05-04".parse().unwrap() }, day("2026-05-04")).unwrap();
    assert!(advice(&store, "2026-05-10").is_empty(), "not near yet");
    let due = advice(&store, "2026-06-05");
    assert_eq!((due.len(), due[0].due.as_str(), due[0].overdue), (1, "2026-06-15", false), "{due:?}");
    assert!(due[0].detail.starts_with("The school gives the LA its advice for the assessment: due 15 Jun 2026"), "{}", due[0].detail);
    assert!(due[0].label.contains("our advice is due"));
    store.record_request_step(request.id, &RequestEvent::AdviceGiven { date: "2026-06-12".parse().unwrap() }, day("2026-06-12")).unwrap();
    assert!(advice(&store, "2026-06-20").is_empty(), "given on time");
}

/// A request recorded before the exceptions were told apart by their limb (schema 10 said
/// `schoolClosed`, which also stood for a pupil's absence) reads as a school's closure,
/// reg 10(4)(a), after migration 0011 (`MIGRATIONS[10]`) runs over it.
#[test]
fn a_request_stored_with_the_old_closure_exception_reads_after_migration() {
    use crate::statutory::{Exception, ExceptionKind};
    let dir = tempfile::tempdir().unwrap();
    let (mut store, ..) = new_school(dir.path());
    let ada = on_sen_support(&mut store, "J886123425001", "Quill");
    let request = store.add_request(ada, "2026-03-02".parse().unwrap(), None, day("2026-03-02")).unwrap();
    let exception = Exception { kind: ExceptionKind::SchoolClosure, reason: "Flood".into(), from: "2026-03-09".parse().unwrap(), to: None };
    store.add_request_exception(request.id, &exception, day("2026-03-10")).unwrap();
    let json: String = store.conn.query_row("SELECT dates FROM ehc_request WHERE id = ?1", [request.id], |r| r.get(0)).unwrap();
    let old = json.replace("\"kind\":\"schoolClosure\"", "\"kind\":\"schoolClosed\"");
    assert_ne!(old, json);
    store.conn.execute("UPDATE ehc_request SET dates = ?1 WHERE id = ?2", rusqlite::params![old, request.id]).unwrap();
    assert!(store.requests(ada, "2026-03-10".parse().unwrap()).is_err(), "schema 10's word is not this build's");
    store.conn.execute_batch(MIGRATIONS[10]).unwrap();
    let read = store.requests(ada, "2026-03-10".parse().unwrap()).unwrap();
    assert_eq!(read[0].dates.exceptions[0].kind, ExceptionKind::SchoolClosure);
}

/// Reg 18(1): a pupil with an EHC plan in Year 6 of a primary school moves phase at the end
/// of the year, and the plan must be reviewed and amended before 15 February. The worklist
/// carries it from September until a review meeting is held that school year.
#[test]
fn a_year_6_pupil_with_a_plan_is_on_the_worklist_for_the_transfer_review_before_15_february() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, ..) = new_school(dir.path());
    assert_eq!(store.school().phase, crate::school::Phase::Primary);
    let input = crate::pupil::PupilInput { nc_year: 6, date_of_birth: "2016-01-10".into(), ..pupil("J886123425001", "Quill") };
    let ada = store.add_pupil(&input, day("2026-09-02")).unwrap().id;
    let year5 = store.add_pupil(&crate::pupil::PupilInput { nc_year: 5, date_of_birth: "2017-01-10".into(), ..pupil("K886200724123", "Moss") }, day("2026-09-02")).unwrap().id;
    for id in [ada, year5] {
        let change = StatusChange { status: SenStatus::EhcPlan, start_date: "2025-06-01".into(), reason: "plan issued".into(), primary_need: Some(NeedCode::ASD) };
        store.set_status(id, &change, day("2026-09-02")).unwrap();
    }
    let transfer = |store: &Store, on: &str| store.worklist(on.parse().unwrap()).unwrap().into_iter().filter(|w| w.kind == WorkKind::PhaseTransferReview).collect::<Vec<_>>();
    let items = transfer(&store, "2026-10-05");
    assert_eq!(items.len(), 1, "the Year 5 pupil stays: {items:?}");
    assert_eq!((items[0].pupil_id, items[0].due.as_str(), items[0].overdue), (ada, "2027-02-14", false));
    assert!(items[0].detail.starts_with("Year 6 to secondary school: the EHC plan must be reviewed and amended, naming the next setting, before 15 Feb 2027 (reg 18)"), "{}", items[0].detail);
    // A review meeting last school year does not count; one this school year does.
    store.start_annual_reviews(ada, "2025-06-01".parse().unwrap(), day("2026-10-05")).unwrap();
    store.record_review_step(ada, &crate::store::ReviewEvent::Meeting { date: "2026-11-10".parse().unwrap() }, day("2026-10-05")).unwrap();
    assert_eq!(transfer(&store, "2026-11-09").len(), 1, "booked, not yet held");
    assert!(transfer(&store, "2026-11-10").is_empty(), "held this school year");
}
