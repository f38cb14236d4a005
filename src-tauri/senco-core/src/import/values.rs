//! The values MIS exports write, read into the census vocabulary: SEN statuses ("SEN
//! Support", "K", "EHC Plan", "Statement"), needs by code or description ("Autistic Spectrum
//! Disorder" is ASD), year groups ("Year 6", "Y6", "6", "Reception", "N2"), dates
//! (dd/mm/yyyy, d/m/yy, ISO, with or without a time), sex, yes/no flags and percentages.
//!
//! Each reader returns the value or a message saying what the text was and what is
//! accepted; the message never repeats more than 40 characters of the text.

use chrono::NaiveDate;

use crate::census::{NeedCode, SenStatus};
use crate::pupil::Sex;

use crate::text::shown;

/// Letters and digits only, upper-cased: "Autistic Spectrum Disorder" → "AUTISTICSPECTRUMDISORDER".
pub fn squash(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_uppercase).collect()
}

/// The words of a value, upper-cased and run together, with "&" and "+" read as "and" and
/// "and" itself left out, so that every way an MIS writes a phrase gives one key:
/// "Speech, Language & Communication Needs" and "speech language and communication needs"
/// both give "SPEECHLANGUAGECOMMUNICATIONNEEDS".
pub fn words(text: &str) -> String {
    text.replace(['&', '+'], " and ")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !w.eq_ignore_ascii_case("and"))
        .flat_map(|w| w.chars().flat_map(char::to_uppercase))
        .collect()
}

/// How MIS products write each SEN status, as `words` gives them: the census code, the
/// label, and the older and local wordings (SIMS writes "No Special Educational Need";
/// others "N - No SEN", "SEN Support (K)", "Education, Health & Care Plan").
const STATUS_WORDS: &[(SenStatus, &[&str])] = &[
    (SenStatus::NoSen, &["", "N", "NOSEN", "NONE", "NO", "NOSPECIALEDUCATIONALNEED", "NOSPECIALEDUCATIONALNEEDS", "NOTSEN", "NOTONSENREGISTER"]),
    (SenStatus::SenSupport, &["K", "SENSUPPORT", "SUPPORT", "SCHOOLSUPPORT", "SPECIALEDUCATIONALNEEDSSUPPORT", "SENSUPPORTK"]),
    (
        SenStatus::EhcPlan,
        &[
            "E",
            "EHCPLAN",
            "EHCP",
            "EHC",
            "EHCPLANE",
            "EDUCATIONHEALTHCAREPLAN",
            "EDUCATIONHEALTHCAREPLANEHCP",
            "STATEMENT",
            "S",
            "STATEMENTOFSEN",
            "STATEMENTOFSPECIALEDUCATIONALNEEDS",
        ],
    ),
];

/// How MIS products write each type of need beyond its census code, as `words` gives them.
const NEED_WORDS: &[(NeedCode, &[&str])] = &[
    (NeedCode::SPLD, &["SPECIFICLEARNINGDIFFICULTY", "SPECIFICLEARNINGDIFFICULTIES"]),
    (NeedCode::MLD, &["MODERATELEARNINGDIFFICULTY", "MODERATELEARNINGDIFFICULTIES"]),
    (NeedCode::SLD, &["SEVERELEARNINGDIFFICULTY", "SEVERELEARNINGDIFFICULTIES"]),
    (NeedCode::PMLD, &["PROFOUNDMULTIPLELEARNINGDIFFICULTY", "PROFOUNDMULTIPLELEARNINGDIFFICULTIES"]),
    (
        NeedCode::SEMH,
        &["SOCIALEMOTIONALMENTALHEALTH", "SOCIALEMOTIONALMENTALHEALTHDIFFICULTIES", "BESD", "BEHAVIOURALEMOTIONALSOCIALDIFFICULTIES", "BEHAVIOURALEMOTIONALSOCIALDIFFICULTY"],
    ),
    (NeedCode::SLCN, &["SPEECHLANGUAGECOMMUNICATIONNEEDS", "SPEECHLANGUAGECOMMUNICATIONNEED", "SPEECHLANGUAGECOMMUNICATION"]),
    (NeedCode::HI, &["HEARINGIMPAIRMENT"]),
    (NeedCode::VI, &["VISIONIMPAIRMENT", "VISUALIMPAIRMENT"]),
    (NeedCode::MSI, &["MULTISENSORYIMPAIRMENT"]),
    (NeedCode::PD, &["PHYSICALDISABILITY"]),
    (NeedCode::ASD, &["AUTISTICSPECTRUMDISORDER", "AUTISTICSPECTRUMCONDITION", "AUTISM", "ASC", "AUTISMSPECTRUMDISORDER", "AUTISMSPECTRUMCONDITION"]),
    (NeedCode::OTH, &["OTHERDIFFICULTYDISABILITY", "OTHERDIFFICULTYORDISABILITY", "OTHER"]),
    (
        NeedCode::NSA,
        &["SENSUPPORTBUTNOSPECIALISTASSESSMENTOFTYPEOFNEED", "SENSUPPORTNOSPECIALISTASSESSMENTOFTYPEOFNEED", "NOSPECIALISTASSESSMENT", "NOSPECIALISTASSESSMENTOFTYPEOFNEED"],
    ),
];

/// A value read whole, or as a code and its words ("K - SEN Support", "SEN Support (K)",
/// "ASD: Autistic Spectrum Disorder"), each part read alone. `Ok(None)` when it is not
/// known; an error when the code and the words name different things.
fn coded<T: Copy + PartialEq>(text: &str, lookup: impl Fn(&str) -> Option<T>, name: impl Fn(T) -> String) -> Result<Option<T>, String> {
    if let Some(found) = lookup(&words(text)) {
        return Ok(Some(found));
    }
    let marked = text.replace([' ', '\u{00A0}'], " ").replace(" - ", "\u{1}").replace(" \u{2013} ", "\u{1}").replace(" \u{2014} ", "\u{1}");
    let parts: Vec<&str> = marked.split(['\u{1}', ':', '(', ')', '|']).map(str::trim).filter(|p| !p.is_empty()).collect();
    if parts.len() < 2 {
        return Ok(None);
    }
    let found: Vec<Option<T>> = parts.iter().map(|p| lookup(&words(p))).collect();
    let Some(Some(first)) = found.first().copied() else { return Ok(None) };
    if found.iter().all(|f| *f == Some(first)) {
        return Ok(Some(first));
    }
    if let Some(other) = found.iter().flatten().find(|f| **f != first) {
        return Err(format!("\"{}\" names two different things ({} and {}): correct it in the MIS", shown(text), name(first), name(*other)));
    }
    Ok(None)
}

/// A SEN status as the census knows it: N, K or E, by code or in the words MIS products use
/// (`STATUS_WORDS`). An empty cell is no SEN.
pub fn status(text: &str) -> Result<SenStatus, String> {
    let lookup = |key: &str| STATUS_WORDS.iter().find(|(_, all)| all.contains(&key)).map(|(status, _)| *status);
    if let Some(status) = coded(text, lookup, |s: SenStatus| s.label().to_string())? {
        return Ok(status);
    }
    if matches!(words(text).as_str(), "A" | "P" | "SCHOOLACTION" | "SCHOOLACTIONPLUS") {
        return Err(format!(
            "\"{}\" is a code from before 2014 (School Action or Action Plus); record the pupil as SEN support (K) or no SEN in the MIS",
            shown(text)
        ));
    }
    Err(format!("\"{}\" is not a SEN status: use N, K (SEN support) or E (EHC plan), or the MIS's words for them", shown(text)))
}

/// A need, by census code ("ASD") or in the words MIS products use (`NEED_WORDS`):
/// "Autistic Spectrum Disorder", "ASD - Autistic Spectrum Disorder", "Speech, Language &
/// Communication Needs".
pub fn need(text: &str) -> Result<NeedCode, String> {
    let lookup = |key: &str| NeedCode::from_code(key).or_else(|| NEED_WORDS.iter().find(|(_, all)| all.contains(&key)).map(|(code, _)| *code));
    match coded(text, lookup, |c: NeedCode| c.code().to_string())? {
        Some(code) => Ok(code),
        None => Err(format!(
            "\"{}\" is not a type of need: use a census code (SPLD, MLD, SLD, PMLD, SEMH, SLCN, HI, VI, MSI, PD, ASD, OTH, NSA) or its description",
            shown(text)
        )),
    }
}

/// A year group: "Year 6", "Yr6", "Y6", "6", "Reception", "R", "YR", "Nursery", "N1", "N2".
/// Both nursery years are the register's Nursery.
pub fn year(text: &str) -> Result<i32, String> {
    crate::pupil::read_year(text)
}

/// A date as dd/mm/yyyy, d/m/yy, ISO or "14 Mar 2017", with any time of day after it
/// ("14/03/2017 00:00", "2017-03-14T00:00:00") left off.
pub fn date(label: &str, text: &str) -> Result<NaiveDate, String> {
    let trimmed = text.trim();
    let date_part = trimmed.split_once('T').filter(|(d, t)| d.len() == 10 && t.contains(':')).map_or(trimmed, |(d, _)| d);
    let date_part = match date_part.rsplit_once(' ') {
        Some((d, time)) if time.contains(':') => d.trim(),
        _ => date_part,
    };
    crate::dates::read("date", label, date_part).map_err(|p| {
        if trimmed.chars().count() > 40 {
            format!("the {label} is not a date (the cell holds {} characters)", trimmed.chars().count())
        } else {
            // The message quotes the text; hidden and control characters are shown as codes.
            p.message.replace(date_part.trim(), &shown(date_part.trim()))
        }
    })
}

/// "M", "F", "Male", "Female", "Boy", "Girl".
pub fn sex(text: &str) -> Result<Sex, String> {
    match squash(text).as_str() {
        "M" | "MALE" | "BOY" => Ok(Sex::M),
        "F" | "FEMALE" | "GIRL" => Ok(Sex::F),
        _ => Err(format!("\"{}\" is not a sex as the census records it: use M or F", shown(text))),
    }
}

/// A yes/no flag: "Y", "Yes", "True", "1", "T"; "N", "No", "False", "0", "F"; an empty
/// cell is no.
pub fn flag(text: &str) -> Result<bool, String> {
    match squash(text).as_str() {
        "Y" | "YES" | "TRUE" | "1" | "T" => Ok(true),
        "" | "N" | "NO" | "FALSE" | "0" | "F" => Ok(false),
        _ => Err(format!("\"{}\" is not yes or no: use Y or N", shown(text))),
    }
}

/// A percentage from 0 to 100, with or without "%"; an empty cell is unknown.
pub fn percent(text: &str) -> Result<Option<f64>, String> {
    let clean = text.trim().trim_end_matches('%').trim();
    if clean.is_empty() {
        return Ok(None);
    }
    match clean.parse::<f64>() {
        Ok(value) if (0.0..=100.0).contains(&value) => Ok(Some((value * 10.0).round() / 10.0)),
        _ => Err(format!("\"{}\" is not a percentage from 0 to 100", shown(text))),
    }
}

/// A name as the register shows it. CTFs write names in capitals ("O'BRIEN-SMITH"); those
/// are shown with a capital at the start of each part ("O'Brien-Smith"). Names in mixed
/// case are kept as they are.
pub fn name_case(text: &str) -> String {
    let text = text.trim();
    if text.chars().any(char::is_lowercase) || !text.chars().any(char::is_uppercase) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut start = true;
    for c in text.chars() {
        if start {
            out.push(c);
        } else {
            out.extend(c.to_lowercase());
        }
        start = matches!(c, ' ' | '-' | '\'' | '\u{2019}' | '(' | '.');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_from_mis_words_and_codes() {
        for (text, want) in [
            ("SEN Support", SenStatus::SenSupport),
            ("K", SenStatus::SenSupport),
            ("k", SenStatus::SenSupport),
            ("EHC Plan", SenStatus::EhcPlan),
            ("E", SenStatus::EhcPlan),
            ("Statement", SenStatus::EhcPlan),
            ("", SenStatus::NoSen),
            ("N", SenStatus::NoSen),
            ("No SEN", SenStatus::NoSen),
        ] {
            assert_eq!(status(text), Ok(want), "{text}");
        }
        assert!(status("P").unwrap_err().contains("before 2014"));
        assert!(status("Maybe").unwrap_err().contains("\"Maybe\" is not a SEN status"));
    }

    /// Held back last time: a SIMS-style export wrote "No Special Educational Need" for N and
    /// "&" for "and", and 252 of its 300 rows were refused. Each wording MIS products use,
    /// with and without the code, in any case and spacing, reads as its status or need.
    #[test]
    fn the_wordings_mis_products_write_read_as_their_status_and_need() {
        for (text, want) in [
            ("No Special Educational Need", SenStatus::NoSen),
            ("N - No Special Educational Need", SenStatus::NoSen),
            ("no special educational needs", SenStatus::NoSen),
            ("K - SEN Support", SenStatus::SenSupport),
            ("SEN Support (K)", SenStatus::SenSupport),
            ("  sen   SUPPORT ", SenStatus::SenSupport),
            ("Education, Health and Care Plan", SenStatus::EhcPlan),
            ("Education, Health & Care Plan", SenStatus::EhcPlan),
            ("E - Education, Health and Care Plan", SenStatus::EhcPlan),
            ("E: EHC Plan", SenStatus::EhcPlan),
            ("Education Health and Care Plan (EHCP)", SenStatus::EhcPlan),
        ] {
            assert_eq!(status(text), Ok(want), "{text}");
        }
        for (text, want) in [
            ("Speech, Language & Communication Needs", NeedCode::SLCN),
            ("Social, Emotional & Mental Health", NeedCode::SEMH),
            ("Profound & Multiple Learning Difficulty", NeedCode::PMLD),
            ("ASD - Autistic Spectrum Disorder", NeedCode::ASD),
            ("Autistic Spectrum Disorder (ASD)", NeedCode::ASD),
            ("SLCN: Speech, language and communication needs", NeedCode::SLCN),
            ("Multi-Sensory Impairment", NeedCode::MSI),
            ("  moderate   learning difficulty ", NeedCode::MLD),
            ("NSA - SEN support but no specialist assessment of type of need", NeedCode::NSA),
        ] {
            assert_eq!(need(text), Ok(want), "{text}");
        }
        let mixed = status("K - Education, Health and Care Plan").unwrap_err();
        assert!(mixed.contains("names two different things (SEN support (K) and EHC plan (E))"), "{mixed}");
        assert!(need("ASD - Hearing Impairment").unwrap_err().contains("(ASD and HI)"));
        assert!(need("Dragons & Knights").is_err());
    }

    #[test]
    fn needs_from_codes_and_descriptions() {
        for (text, want) in [
            ("ASD", NeedCode::ASD),
            ("Autistic Spectrum Disorder", NeedCode::ASD),
            ("SpLD", NeedCode::SPLD),
            ("Specific Learning Difficulty", NeedCode::SPLD),
            ("Social, Emotional and Mental Health", NeedCode::SEMH),
            ("Speech, Language and Communication Needs", NeedCode::SLCN),
            ("Visual Impairment", NeedCode::VI),
            ("SEN support but no specialist assessment of type of need", NeedCode::NSA),
            ("Other Difficulty/Disability", NeedCode::OTH),
        ] {
            assert_eq!(need(text), Ok(want), "{text}");
        }
        assert!(need("Dragons").is_err());
    }

    #[test]
    fn year_groups_in_every_spelling() {
        for (text, want) in [
            ("Year 6", 6),
            ("Y6", 6),
            ("6", 6),
            ("Yr 11", 11),
            ("Reception", 0),
            ("R", 0),
            ("YR", 0),
            ("N1", -1),
            ("N2", -1),
            ("Nursery", -1),
            ("14", 14),
        ] {
            assert_eq!(year(text), Ok(want), "{text}");
        }
        for bad in ["Year 15", "X", "", "Y", "6b", "-3"] {
            assert!(year(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn dates_as_mis_exports_write_them() {
        let want = NaiveDate::from_ymd_opt(2017, 3, 4).unwrap();
        for text in ["04/03/2017", "4/3/17", "2017-03-04", "04/03/2017 00:00", "2017-03-04T00:00:00", " 4 Mar 2017 "] {
            assert_eq!(date("date of birth", text), Ok(want), "{text}");
        }
        assert!(date("date of birth", "03/31/2017").unwrap_err().contains("no month 31"));
        assert!(date("date of birth", &"9".repeat(500)).unwrap_err().contains("500 characters"));
    }

    #[test]
    fn flags_percentages_and_sex() {
        assert_eq!(flag("Yes"), Ok(true));
        assert_eq!(flag(""), Ok(false));
        assert!(flag("perhaps").is_err());
        assert_eq!(percent("95.26%"), Ok(Some(95.3)));
        assert_eq!(percent(""), Ok(None));
        assert!(percent("101").is_err());
        assert_eq!(sex("Female"), Ok(Sex::F));
        assert!(sex("X").is_err());
    }

    #[test]
    fn capitals_become_names() {
        assert_eq!(name_case("O'BRIEN-SMITH"), "O'Brien-Smith");
        assert_eq!(name_case("MARY ANNE"), "Mary Anne");
        assert_eq!(name_case("McDonald"), "McDonald");
        assert_eq!(name_case("ÉLODIE"), "Élodie");
    }
}
