//! The DfE Common Transfer File, read as a stream and written for the demo school.
//!
//! A CTF is `CTfile` → `Header` and `CTFpupilData` → `Pupil`….
//! `read` walks it with quick-xml one event at a time, so a 50 MB file is never held in
//! memory: only the pupils read so far are. It keeps:
//! - no DTD: a `<!DOCTYPE` refuses the file (MIS exports never carry one, and a DTD is how
//!   entity-expansion attacks such as "billion laughs" work); references other than XML's
//!   five and character references refuse it too;
//! - no deep nesting (64 levels) and no text over 64 KiB in one element;
//! - at most `files::CTF_LIMIT` (100 MB) in all and 1 MB in any one tag, text or comment,
//!   counted as the bytes arrive (`files::Capped`), so an endless stream (`/dev/zero`) stops
//!   with a message naming the limit instead of filling memory;
//! - every element it does not read is counted by its path, not silently dropped;
//! - a pupil with a problem is reported with its record number and kept out of the list.

use std::collections::BTreeMap;
use std::io::BufRead;

use chrono::NaiveDate;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::census::SenStatus;
use crate::files::{Capped, Exceeded, CTF_LIMIT};

use crate::text::shown;
use super::{values, FileFacts, MisNeed, MisPupil, MisSen, Parsed, Place, Problem, Source, Field};

/// The oldest CTF version read: the one for the 2020/21 school year.
pub const OLDEST_VERSION: u32 = 20;
/// The newest version whose layout is known when this was written; newer files than this
/// and next school year's are read with a warning.
pub const NEWEST_VERSION: u32 = 26;

const MAX_DEPTH: usize = 64;
/// At most this many different unread elements are named; the rest are counted together.
const MAX_IGNORED: usize = 200;
/// At most this many repeated groups (SEN entries, needs, meal periods…) in one pupil.
const MAX_GROUPS: usize = 1000;
const MAX_TEXT: usize = 64 * 1024;
/// The most quick-xml may buffer for one event (a tag, a run of text, a comment).
const MAX_EVENT: u64 = 1024 * 1024;

/// Elements the reader uses, by their path below `CTfile`.
const KNOWN: &[&str] = &[
    "Header",
    "Header/DocumentName",
    "Header/CTFversion",
    "Header/CTFVersion",
    "Header/DateTime",
    "Header/DocumentQualifier",
    "Header/DataDescriptor",
    "Header/SupplierID",
    "Header/SourceSchool",
    "Header/SourceSchool/LEA",
    "Header/SourceSchool/Estab",
    "Header/SourceSchool/URN",
    "Header/SourceSchool/SchoolName",
    "Header/SourceSchool/AcademicYear",
    "Header/DestSchool",
    "Header/DestSchool/LEA",
    "Header/DestSchool/Estab",
    "Header/DestSchool/URN",
    "CTFpupilData",
    "CTFpupilData/Pupil",
];

/// Elements the reader uses, by their path below `Pupil`.
const PUPIL_KNOWN: &[&str] = &[
    "UPN",
    "Surname",
    "Forename",
    "DOB",
    "Sex",
    "Gender",
    "BasicDetails",
    "BasicDetails/FormerUPN",
    "BasicDetails/PreferredSurname",
    "BasicDetails/PreferredForename",
    "BasicDetails/NCyearActual",
    "BasicDetails/Languages",
    "BasicDetails/Languages/Type",
    "BasicDetails/Languages/Type/LanguageType",
    "BasicDetails/Languages/Type/Language",
    "LookedAfter",
    "LookedAfter/InCare",
    "FSMhistory",
    "FSMhistory/FSMinstance",
    "FSMhistory/FSMinstance/FSMstartDate",
    "FSMhistory/FSMinstance/FSMendDate",
    "SENhistory",
    "SENhistory/SEN",
    "SENhistory/SEN/StartDate",
    "SENhistory/SEN/SENprovision",
    "SENhistory/SENneeds",
    "SENhistory/SENneeds/SENneed",
    "SENhistory/SENneeds/SENneed/SENtype",
    "SENhistory/SENneeds/SENneed/SENtypeRank",
    "SENhistory/SENneeds/SENneed/NeedStartDate",
    "SENhistory/SENneeds/SENneed/NeedEndDate",
    "Attendance",
    "Attendance/YearData",
    "Attendance/YearData/Year",
    "Attendance/YearData/SessionsPossible",
    "Attendance/YearData/SessionsAuthorised",
    "Attendance/YearData/SessionsUnauthorised",
    "Attendance/YearData/LEA",
    "Attendance/YearData/Estab",
    "SchoolHistory",
    "SchoolHistory/School",
    "SchoolHistory/School/LEA",
    "SchoolHistory/School/Estab",
    "SchoolHistory/School/EntryDate",
];

const PUPIL: &str = "CTFpupilData/Pupil";

/// One pupil's elements as they are read, before they are checked.
#[derive(Default)]
struct Draft {
    record: u64,
    upn: String,
    former_upn: String,
    surname: String,
    forename: String,
    preferred_surname: String,
    preferred_forename: String,
    dob: String,
    sex: String,
    year: String,
    in_care: String,
    has_sen_history: bool,
    sen: Vec<[String; 2]>,
    needs: Vec<[String; 4]>,
    fsm: Vec<[String; 2]>,
    /// Year, sessions possible, authorised and unauthorised absences, and the school
    /// (LEA, Estab) the row is for, when it says.
    attendance: Vec<[String; 6]>,
    languages: Vec<[String; 2]>,
    schools: Vec<[String; 3]>,
    too_long: Vec<(String, usize)>,
}

#[derive(Default)]
struct Header {
    version: String,
    source: [String; 4],
    dest: [String; 2],
}

/// Reads a CTF. `today` decides which free-school-meal periods are current; `here` is the
/// importing school's LA and establishment number, whose entry in a pupil's school history
/// gives their admission date.
pub fn read(input: impl BufRead, today: NaiveDate, here: (&str, &str)) -> Parsed {
    let mut reader = Reader::from_reader(Capped::new(input, CTF_LIMIT.bytes(), MAX_EVENT));
    // Text is trimmed once, when its element closes: trimming each piece would lose the
    // spaces around an entity ("SMITH &amp; JONES").
    reader.config_mut().trim_text(false);
    let mut buf = Vec::new();
    let mut state = State { today, here: (here.0.to_string(), here.1.to_string()), ..State::default() };
    let mut parsed = Parsed {
        source: Source::Ctf,
        facts: FileFacts::default(),
        pupils: Vec::new(),
        problems: Vec::new(),
        warnings: Vec::new(),
        ignored: BTreeMap::new(),
    };
    let failure = loop {
        reader.get_mut().start_piece();
        let event = match reader.read_event_into(&mut buf) {
            Ok(event) => event,
            Err(error) => {
                let at = reader.error_position();
                let inside = if state.records > 0 { format!(" (in or after pupil record {})", state.records) } else { String::new() };
                break Some(match reader.get_ref().exceeded() {
                    Some(Exceeded::Total) => format!(
                        "the file is larger than {} MB, the most {} may be, so it was not read; check that it is the right file",
                        CTF_LIMIT.megabytes, CTF_LIMIT.kind
                    ),
                    Some(Exceeded::Piece) => format!(
                        "the file has a tag, text or comment of more than {} MB near byte {}{inside}, which no CTF has, so it was not read",
                        MAX_EVENT / (1024 * 1024),
                        reader.buffer_position()
                    ),
                    None => format!("the file is not well-formed XML at byte {at}{inside}: {}", xml_cause(&error)),
                });
            }
        };
        let step = match event {
            Event::Eof => break None,
            Event::DocType(_) => Err(
                "the file declares a document type (<!DOCTYPE …>). A CTF never has one, and it is how entity-expansion attacks work, so the file was not read".to_string(),
            ),
            Event::Start(_) if state.skipping > 0 => {
                state.skipping += 1;
                Ok(())
            }
            Event::End(_) if state.skipping > 0 => {
                state.skipping -= 1;
                Ok(())
            }
            _ if state.skipping > 0 => Ok(()),
            Event::Start(element) => state.open(&element, &mut parsed),
            Event::Empty(element) => {
                // An empty element is a start and an end with no text.
                let depth = state.stack.len();
                let opened = state.open(&element, &mut parsed);
                if state.skipping > 0 {
                    state.skipping = 0;
                } else if opened.is_ok() && state.stack.len() > depth {
                    state.close(&mut parsed);
                }
                opened
            }
            Event::Text(content) => {
                state.push_text(&content.xml10_content());
                Ok(())
            }
            Event::CData(content) => {
                state.push_text(&content.xml10_content());
                Ok(())
            }
            Event::GeneralRef(reference) => match reference.resolve_char_ref() {
                Ok(Some(c)) => {
                    state.push_text(&c.to_string());
                    Ok(())
                }
                Ok(None) => match quick_xml::escape::resolve_predefined_entity(&reference) {
                    Some(s) => {
                        state.push_text(s);
                        Ok(())
                    }
                    None => Err(format!(
                        "the file uses the entity &{}; which XML does not define; entities are refused, so the file was not read",
                        shown(&reference)
                    )),
                },
                Err(_) => Err(format!("the file has a character reference &{}; that is not a character", shown(&reference))),
            },
            Event::End(_) => {
                state.close(&mut parsed);
                Ok(())
            }
            _ => Ok(()),
        };
        if let Err(message) = step {
            break Some(message);
        }
        buf.clear();
    };
    let failure = failure.or_else(|| {
        if !state.seen_root {
            Some("the file is empty or holds no CTF: a CTF starts with <CTfile>".to_string())
        } else if !state.stack.is_empty() {
            let inside = if state.records > 0 { format!(", in pupil record {}", state.records) } else { String::new() };
            Some(format!("the file stops inside <{}>{inside}: it was cut short, so none of it was read", state.stack.join("/")))
        } else if !state.header_done {
            Some("the file has no <Header>, so its CTF version is not known".to_string())
        } else {
            None
        }
    });
    if let Some(message) = failure {
        parsed.pupils.clear();
        parsed.problems.retain(|p| p.place == Place::File);
        parsed.problems.push(Problem::file(message));
        return parsed;
    }
    if parsed.problems.iter().any(|p| p.place == Place::File) {
        // A file that cannot be trusted as a whole (a version too old) gives no pupils.
        parsed.pupils.clear();
    } else if state.records == 0 {
        parsed.problems.push(Problem::file("the file holds no pupils"));
    }
    parsed
}

/// Where the reader is in the file.
#[derive(Default)]
struct State {
    today: NaiveDate,
    here: (String, String),
    stack: Vec<String>,
    text: String,
    skipping: usize,
    header: Header,
    header_done: bool,
    seen_root: bool,
    draft: Option<Draft>,
    records: u64,
}

fn xml_cause(error: &quick_xml::Error) -> String {
    match error {
        quick_xml::Error::Encoding(_) => "it is not UTF-8 text (a CTF is UTF-8)".to_string(),
        quick_xml::Error::Io(e) => format!("it could not be read ({})", crate::error::plain_cause(e)),
        other => {
            let text = other.to_string();
            if text.to_ascii_lowercase().contains("utf-8") {
                "it is not UTF-8 text (a CTF is UTF-8)".to_string()
            } else {
                text
            }
        }
    }
}

impl State {
    fn push_text(&mut self, more: &str) {
        if self.text.len() + more.len() > MAX_TEXT {
            if let Some(d) = self.draft.as_mut() {
                let path = self.stack.join("/");
                if !d.too_long.iter().any(|(p, _)| *p == path) {
                    d.too_long.push((path, self.text.len() + more.len()));
                }
            }
            return;
        }
        self.text.push_str(more);
    }

    /// Enters an element: checks the root, counts what is not read, starts a pupil or a group.
    fn open(&mut self, element: &BytesStart<'_>, parsed: &mut Parsed) -> Result<(), String> {
        let name = String::from_utf8_lossy(element.name().as_ref().as_bytes()).into_owned();
        self.text.clear();
        if self.stack.is_empty() {
            if self.seen_root {
                return Err(format!("the file has a second top-level element <{}> after </CTfile>", shown(&name)));
            }
            if name != "CTfile" {
                return Err(format!("the file is XML but not a CTF: it starts with <{}>, and a CTF starts with <CTfile>", shown(&name)));
            }
            self.seen_root = true;
            self.stack.push(name);
            return Ok(());
        }
        if self.stack.len() >= MAX_DEPTH {
            return Err(format!("the file nests elements more than {MAX_DEPTH} deep, which no CTF does"));
        }
        let path = if self.stack.len() == 1 { name.clone() } else { format!("{}/{name}", self.stack[1..].join("/")) };
        let known = match path.strip_prefix("CTFpupilData/Pupil/") {
            Some(rest) => PUPIL_KNOWN.contains(&rest),
            None => KNOWN.contains(&path.as_str()),
        };
        if !known {
            let shown_path = path.strip_prefix("CTFpupilData/").unwrap_or(&path);
            let key = shown(shown_path);
            let key = if parsed.ignored.len() >= MAX_IGNORED && !parsed.ignored.contains_key(&key) { "(other elements)".to_string() } else { key };
            *parsed.ignored.entry(key).or_insert(0) += 1;
            self.skipping = 1;
            return Ok(());
        }
        if path == PUPIL {
            self.records += 1;
            self.draft = Some(Draft { record: self.records, ..Draft::default() });
        }
        if let (Some(d), Some(rest)) = (self.draft.as_mut(), path.strip_prefix("CTFpupilData/Pupil/")) {
            let groups = d.sen.len() + d.needs.len() + d.fsm.len() + d.attendance.len() + d.languages.len() + d.schools.len();
            if groups >= MAX_GROUPS {
                return Err(format!("pupil record {} has more than {MAX_GROUPS} SEN, need, meal, attendance, language and school entries, which no CTF has", d.record));
            }
            match rest {
                "SENhistory" => d.has_sen_history = true,
                "SENhistory/SEN" => d.sen.push(Default::default()),
                "SENhistory/SENneeds/SENneed" => d.needs.push(Default::default()),
                "FSMhistory/FSMinstance" => d.fsm.push(Default::default()),
                "Attendance/YearData" => d.attendance.push(Default::default()),
                "BasicDetails/Languages/Type" => d.languages.push(Default::default()),
                "SchoolHistory/School" => d.schools.push(Default::default()),
                _ => {}
            }
        }
        self.stack.push(name);
        Ok(())
    }

    /// Leaves an element, keeping its text where the reader uses it.
    fn close(&mut self, parsed: &mut Parsed) {
        let path = if self.stack.len() <= 1 { String::new() } else { self.stack[1..].join("/") };
        self.stack.pop();
        let value = std::mem::take(&mut self.text).trim().to_string();
        if let Some(rest) = path.strip_prefix("CTFpupilData/Pupil/") {
            let Some(d) = self.draft.as_mut() else { return };
            match rest {
                "UPN" => d.upn = value,
                "Surname" => d.surname = value,
                "Forename" => d.forename = value,
                "DOB" => d.dob = value,
                "Sex" | "Gender" => d.sex = value,
                "BasicDetails/FormerUPN" => d.former_upn = value,
                "BasicDetails/PreferredSurname" => d.preferred_surname = value,
                "BasicDetails/PreferredForename" => d.preferred_forename = value,
                "BasicDetails/NCyearActual" => d.year = value,
                "LookedAfter/InCare" => d.in_care = value,
                "SENhistory/SEN/StartDate" => set(&mut d.sen, 0, value),
                "SENhistory/SEN/SENprovision" => set(&mut d.sen, 1, value),
                "SENhistory/SENneeds/SENneed/SENtype" => set(&mut d.needs, 0, value),
                "SENhistory/SENneeds/SENneed/SENtypeRank" => set(&mut d.needs, 1, value),
                "SENhistory/SENneeds/SENneed/NeedStartDate" => set(&mut d.needs, 2, value),
                "SENhistory/SENneeds/SENneed/NeedEndDate" => set(&mut d.needs, 3, value),
                "FSMhistory/FSMinstance/FSMstartDate" => set(&mut d.fsm, 0, value),
                "FSMhistory/FSMinstance/FSMendDate" => set(&mut d.fsm, 1, value),
                "Attendance/YearData/Year" => set(&mut d.attendance, 0, value),
                "Attendance/YearData/SessionsPossible" => set(&mut d.attendance, 1, value),
                "Attendance/YearData/SessionsAuthorised" => set(&mut d.attendance, 2, value),
                "Attendance/YearData/SessionsUnauthorised" => set(&mut d.attendance, 3, value),
                "Attendance/YearData/LEA" => set(&mut d.attendance, 4, value),
                "Attendance/YearData/Estab" => set(&mut d.attendance, 5, value),
                "BasicDetails/Languages/Type/LanguageType" => set(&mut d.languages, 0, value),
                "BasicDetails/Languages/Type/Language" => set(&mut d.languages, 1, value),
                "SchoolHistory/School/LEA" => set(&mut d.schools, 0, value),
                "SchoolHistory/School/Estab" => set(&mut d.schools, 1, value),
                "SchoolHistory/School/EntryDate" => set(&mut d.schools, 2, value),
                _ => {}
            }
            return;
        }
        let h = &mut self.header;
        match path.as_str() {
            // The DfE's specification spells it CTFversion; some MIS products write CTFVersion.
            "Header/CTFversion" | "Header/CTFVersion" => h.version = value,
            "Header/SourceSchool/LEA" => h.source[0] = value,
            "Header/SourceSchool/Estab" => h.source[1] = value,
            "Header/SourceSchool/URN" => h.source[2] = value,
            "Header/SourceSchool/SchoolName" => h.source[3] = value,
            "Header/DestSchool/LEA" => h.dest[0] = value,
            "Header/DestSchool/Estab" => h.dest[1] = value,
            "Header" if !self.header_done => {
                self.header_done = true;
                finish_header(h, parsed, self.today);
            }
            PUPIL => {
                if let Some(d) = self.draft.take() {
                    let source = (self.header.source[0].trim().to_string(), self.header.source[1].trim().to_string());
                    finish_pupil(d, &self.here, &source, parsed, self.today);
                }
            }
            _ => {}
        }
    }
}

/// Sets one element of the latest group (a SEN entry, a need, a year of attendance…).
fn set<const N: usize>(groups: &mut [[String; N]], index: usize, value: String) {
    if let Some(group) = groups.last_mut() {
        group[index] = value;
    }
}

fn finish_header(header: &Header, parsed: &mut Parsed, today: NaiveDate) {
    let version = shown(header.version.trim());
    let version = version.as_str();
    parsed.facts.ctf_version = version.to_string();
    parsed.facts.source_school = match (header.source[3].trim(), header.source[0].trim(), header.source[1].trim()) {
        ("", la, estab) => format!("{la}/{estab}"),
        (name, la, estab) => format!("{} ({la}/{estab})", shown(name)),
    };
    parsed.facts.destination = match (header.dest[0].trim(), header.dest[1].trim()) {
        ("", "") => String::new(),
        (la, estab) => format!("{}/{}", shown(la), shown(estab)),
    };
    // The toolkit knows the layout up to the version of next school year (MISs send the new
    // version from the summer before).
    let newest = NEWEST_VERSION.max((crate::pupil::academic_year(today) % 100 + 1) as u32);
    let major = version.split('.').next().and_then(|m| m.parse::<u32>().ok());
    match major {
        None => parsed.problems.push(Problem::file(format!(
            "the header's CTFversion is \"{}\", not a version such as 25.0",
            shown(version)
        ))),
        Some(m) if m < OLDEST_VERSION => parsed.problems.push(Problem::file(format!(
            "the file is CTF version {version}, older than the oldest this toolkit reads ({OLDEST_VERSION}.0); ask the sending school or the MIS for a current CTF"
        ))),
        Some(m) if m > newest => parsed.warnings.push(format!(
            "the file is CTF version {version}, newer than the newest this toolkit knows ({newest}.0); it was read with the elements the toolkit knows"
        )),
        Some(_) => {}
    }
}

/// Checks one pupil's elements and adds the pupil, or its problems.
fn finish_pupil(d: Draft, here: &(String, String), source: &(String, String), parsed: &mut Parsed, today: NaiveDate) {
    let place = Place::Record(d.record);
    let upn = d.upn.trim().to_string();
    let mut problems: Vec<Problem> = d
        .too_long
        .iter()
        .map(|(path, length)| Problem::new(place, &upn, "", format!("the element {} holds {length} characters; the record was not read", shown(path.trim_start_matches("CTfile/")))))
        .collect();
    let mut problem = |field: Field, message: String| problems.push(Problem::at(place, &upn, field, message));
    let mut pupil = MisPupil::empty(place);
    pupil.upn = upn.clone();
    pupil.former_upn = d.former_upn.trim().to_string();
    if upn.is_empty() {
        problem(Field::Upn, "the record has no UPN".to_string());
    }
    for (field, value, target) in [
        (Field::LegalSurname, &d.surname, &mut pupil.legal_surname),
        (Field::LegalForename, &d.forename, &mut pupil.legal_forename),
    ] {
        if value.trim().is_empty() {
            problem(field, format!("the record has no {}", field.label()));
        }
        *target = values::name_case(value);
    }
    pupil.preferred_surname = values::name_case(&d.preferred_surname);
    pupil.preferred_forename = values::name_case(&d.preferred_forename);
    match values::date("date of birth", &d.dob) {
        Ok(date) => pupil.date_of_birth = Some(date),
        Err(message) => problem(Field::DateOfBirth, message),
    }
    match values::sex(&d.sex) {
        Ok(sex) => pupil.sex = Some(sex),
        Err(message) => problem(Field::Sex, message),
    }
    match values::year(&d.year) {
        Ok(year) => pupil.nc_year = Some(year),
        Err(message) => problem(Field::NcYear, message),
    }
    if !d.in_care.trim().is_empty() {
        match values::flag(&d.in_care) {
            Ok(flag) => pupil.looked_after = Some(flag),
            Err(message) => problem(Field::LookedAfter, message),
        }
    } else {
        pupil.looked_after = Some(false);
    }
    let mut fsm_now = false;
    let mut fsm_six_years = false;
    for [start, end] in &d.fsm {
        let start = match values::date("free school meals start date", start) {
            Ok(date) => date,
            Err(message) => {
                problem(Field::Fsm, message);
                continue;
            }
        };
        let end = if end.trim().is_empty() {
            None
        } else {
            match values::date("free school meals end date", end) {
                Ok(date) => Some(date),
                Err(message) => {
                    problem(Field::Fsm, message);
                    continue;
                }
            }
        };
        if start <= today && end.is_none_or(|e| e >= today) {
            fsm_now = true;
        }
        let six_years_ago = today.checked_sub_months(chrono::Months::new(72)).unwrap_or(today);
        if start <= today && end.is_none_or(|e| e >= six_years_ago) {
            fsm_six_years = true;
        }
    }
    pupil.fsm = Some(fsm_now);
    // A CTF has no pupil premium field. Meals in the last six years or care make a pupil
    // eligible; anything else (service children, adoption from care) the CTF cannot show, so
    // it never takes the flag away.
    pupil.pupil_premium = (fsm_six_years || pupil.looked_after == Some(true)).then_some(true);
    let first_language = d.languages.iter().find(|[kind, _]| kind.trim().eq_ignore_ascii_case("F")).or(d.languages.first());
    // English (ENG) or believed English (ENB) is not EAL; not obtained (NOT) or refused (REF)
    // says nothing, so the register's value stays.
    pupil.eal = first_language.and_then(|[_, language]| match values::squash(language).as_str() {
        "ENG" | "ENB" => Some(false),
        "NOT" | "REF" | "" => None,
        _ => Some(true),
    });
    // Attendance is this school's: the rows of the latest year that are for this school (a
    // row that names no school is the sending school's), added together. Rows for other
    // schools, such as a pupil's last school in a joiner's CTF, are not this school's
    // attendance and are left out.
    let ours_only = d.attendance.iter().filter_map(|[year, possible, authorised, unauthorised, la, estab]| {
        let school = if la.trim().is_empty() && estab.trim().is_empty() { (source.0.as_str(), source.1.as_str()) } else { (la.trim(), estab.trim()) };
        if school != (here.0.as_str(), here.1.as_str()) {
            return None;
        }
        let numbers = [year, possible, authorised, unauthorised].map(|n| n.trim().parse::<u64>().ok());
        match numbers {
            [Some(year), Some(possible), Some(a), Some(u)] if possible > 0 && a.saturating_add(u) <= possible => Some((year, possible, a + u)),
            _ => None,
        }
    });
    let rows: Vec<(u64, u64, u64)> = ours_only.collect();
    if let Some(latest) = rows.iter().map(|(year, _, _)| *year).max() {
        let (possible, absent) = rows.iter().filter(|(year, _, _)| *year == latest).fold((0u64, 0u64), |(p, a), (_, possible, absent)| (p.saturating_add(*possible), a.saturating_add(*absent)));
        let pct = (possible - absent.min(possible)) as f64 * 100.0 / possible as f64;
        pupil.attendance_pct = Some((pct * 10.0).round() / 10.0);
    }
    let ours = d.schools.iter().filter(|[la, estab, _]| la.trim() == here.0 && estab.trim() == here.1);
    pupil.admission_date = ours.filter_map(|[_, _, entry]| values::date("entry date", entry).ok()).max();
    pupil.sen = Some(sen(&d, &mut problem));
    if problems.is_empty() {
        parsed.pupils.push(pupil);
    } else {
        parsed.problems.extend(problems);
    }
}

/// The pupil's SEN history: statuses by start date, and needs. No `SENhistory` means no SEN.
fn sen(d: &Draft, problem: &mut impl FnMut(Field, String)) -> MisSen {
    let mut statuses: Vec<(SenStatus, Option<NaiveDate>)> = Vec::new();
    for [start, provision] in &d.sen {
        if provision.trim().is_empty() {
            problem(Field::SenStatus, "a SEN entry has no SENprovision".to_string());
            continue;
        }
        let status = match values::status(provision) {
            Ok(status) => status,
            Err(message) => {
                problem(Field::SenStatus, message);
                continue;
            }
        };
        let start = if start.trim().is_empty() {
            None
        } else {
            match values::date("SEN start date", start) {
                Ok(date) => Some(date),
                Err(message) => {
                    problem(Field::SenStartDate, message);
                    continue;
                }
            }
        };
        statuses.push((status, start));
    }
    statuses.sort_by_key(|(_, start)| *start);
    let (status, start_date) = statuses.last().copied().unwrap_or((SenStatus::NoSen, None));
    let earlier = statuses[..statuses.len().saturating_sub(1)].iter().filter_map(|(s, d)| d.map(|d| (*s, d))).collect();
    let mut needs = Vec::new();
    for [kind, rank, start, end] in &d.needs {
        let code = match values::need(kind) {
            Ok(code) => code,
            Err(message) => {
                problem(Field::PrimaryNeed, message);
                continue;
            }
        };
        let rank = match rank.trim().parse::<u32>() {
            Ok(rank) if (1..=99).contains(&rank) => rank,
            _ if rank.trim().is_empty() => needs.len() as u32 + 1,
            _ => {
                problem(Field::PrimaryNeed, format!("the need {} has the rank \"{}\"; ranks run from 1 to 99", code.code(), shown(rank)));
                continue;
            }
        };
        let date = |label: &str, text: &str, problem: &mut dyn FnMut(Field, String)| -> Option<NaiveDate> {
            if text.trim().is_empty() {
                return None;
            }
            values::date(label, text).map_err(|m| problem(Field::PrimaryNeed, m)).ok()
        };
        let start_date = date("need start date", start, &mut *problem);
        let end_date = date("need end date", end, &mut *problem);
        needs.push(MisNeed { code, rank, start_date, end_date });
    }
    needs.sort_by_key(|n| (n.end_date.is_some(), n.rank));
    let open: Vec<&MisNeed> = needs.iter().filter(|n| n.end_date.is_none()).collect();
    let ranks_clash = open.windows(2).any(|w| w[0].rank == w[1].rank);
    for (i, need) in open.iter().enumerate() {
        if open[..i].iter().any(|other| other.rank == need.rank) {
            problem(Field::PrimaryNeed, format!("two current needs share rank {}", need.rank));
        }
        if open[..i].iter().any(|other| other.code == need.code) {
            problem(Field::PrimaryNeed, format!("the need {} is listed twice", need.code.code()));
        }
    }
    if status.needs_primary_need() && open.is_empty() {
        problem(
            Field::PrimaryNeed,
            format!("the pupil's SEN provision is {} but no current need is recorded; the census needs a primary need", status.code()),
        );
    }
    if !d.has_sen_history {
        return MisSen { status: SenStatus::NoSen, start_date: None, earlier: Vec::new(), needs: Vec::new() };
    }
    // The current needs in rank order are ranked 1, 2, 3… as the register ranks them, so the
    // primary need is the first current one even when the MIS's rank 1 has ended.
    if !ranks_clash {
        for (rank, need) in (1..).zip(needs.iter_mut().filter(|n| n.end_date.is_none())) {
            need.rank = rank;
        }
    }
    MisSen { status, start_date, earlier, needs }
}

/// The CTF version for the school year containing `today`: 2026/27 is "26.0".
pub fn version_for(today: NaiveDate) -> String {
    format!("{}.0", crate::pupil::academic_year(today) % 100)
}

/// Where a CTF comes from or goes to.
pub struct Establishment<'a> {
    pub la: &'a str,
    pub estab: &'a str,
    pub urn: &'a str,
    pub name: &'a str,
}

/// Writes a CTF of the given pupils, as an MIS would send it: names in capitals, dates ISO,
/// SEN history, needs, looked-after, FSM and a year's attendance.
pub fn write(from: &Establishment<'_>, to: &Establishment<'_>, pupils: &[MisPupil], today: NaiveDate) -> String {
    let mut out = String::with_capacity(pupils.len() * 1200 + 1000);
    let x = escape;
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<CTfile>\n  <Header>\n");
    out.push_str("    <DocumentName>Common Transfer File</DocumentName>\n");
    out.push_str(&format!("    <CTFversion>{}</CTFversion>\n", version_for(today)));
    out.push_str(&format!("    <DateTime>{}T09:00:00</DateTime>\n", today));
    out.push_str("    <DocumentQualifier>partial</DocumentQualifier>\n");
    out.push_str("    <DataDescriptor>Synthetic pupils from the SENCO Toolkit demo school</DataDescriptor>\n");
    out.push_str("    <SupplierID>SENCO Toolkit demo</SupplierID>\n");
    out.push_str(&format!(
        "    <SourceSchool>\n      <LEA>{}</LEA>\n      <Estab>{}</Estab>\n      <URN>{}</URN>\n      <SchoolName>{}</SchoolName>\n      <AcademicYear>{}</AcademicYear>\n    </SourceSchool>\n",
        x(from.la), x(from.estab), x(from.urn), x(from.name), crate::pupil::academic_year(today)
    ));
    out.push_str(&format!(
        "    <DestSchool>\n      <LEA>{}</LEA>\n      <Estab>{}</Estab>\n      <URN>{}</URN>\n    </DestSchool>\n  </Header>\n  <CTFpupilData>\n",
        x(to.la), x(to.estab), x(to.urn)
    ));
    for p in pupils {
        out.push_str("    <Pupil>\n");
        out.push_str(&format!("      <UPN>{}</UPN>\n", x(&p.upn)));
        out.push_str(&format!("      <Surname>{}</Surname>\n", x(&p.legal_surname.to_uppercase())));
        out.push_str(&format!("      <Forename>{}</Forename>\n", x(&p.legal_forename.to_uppercase())));
        if let Some(dob) = p.date_of_birth {
            out.push_str(&format!("      <DOB>{dob}</DOB>\n"));
        }
        if let Some(sex) = p.sex {
            out.push_str(&format!("      <Sex>{}</Sex>\n", sex.code()));
        }
        out.push_str("      <BasicDetails>\n");
        out.push_str(&format!("        <FormerUPN>{}</FormerUPN>\n", x(&p.former_upn)));
        out.push_str(&format!("        <PreferredSurname>{}</PreferredSurname>\n", x(&p.preferred_surname.to_uppercase())));
        out.push_str(&format!("        <PreferredForename>{}</PreferredForename>\n", x(&p.preferred_forename.to_uppercase())));
        if let Some(year) = p.nc_year {
            let year = match year {
                -1 => "N2".to_string(),
                0 => "R".to_string(),
                y => y.to_string(),
            };
            out.push_str(&format!("        <NCyearActual>{year}</NCyearActual>\n"));
        }
        let language = if p.eal == Some(true) { "POL" } else { "ENG" };
        out.push_str(&format!(
            "        <Languages>\n          <Type>\n            <LanguageType>F</LanguageType>\n            <Language>{language}</Language>\n          </Type>\n        </Languages>\n"
        ));
        out.push_str("        <MedicalFlag>false</MedicalFlag>\n      </BasicDetails>\n");
        out.push_str(&format!(
            "      <LookedAfter>\n        <InCare>{}</InCare>\n        <CareAuthority>{}</CareAuthority>\n      </LookedAfter>\n",
            p.looked_after == Some(true),
            if p.looked_after == Some(true) { "886" } else { "" }
        ));
        // Pupil premium is not in a CTF; the reader works it out from six years of free
        // school meals, so a pupil premium pupil without meals now gets an earlier period.
        let meals = if p.fsm == Some(true) {
            Some((p.admission_date.unwrap_or(today), None))
        } else if p.pupil_premium == Some(true) && p.looked_after != Some(true) {
            Some((today - chrono::Duration::days(3 * 365), Some(today - chrono::Duration::days(2 * 365))))
        } else {
            None
        };
        if let Some((start, end)) = meals {
            let end = end.map_or(String::new(), |e| format!("          <FSMendDate>{e}</FSMendDate>\n"));
            out.push_str(&format!(
                "      <FSMhistory>\n        <FSMinstance>\n          <FSMstartDate>{start}</FSMstartDate>\n{end}          <UKcountry>ENG</UKcountry>\n        </FSMinstance>\n      </FSMhistory>\n"
            ));
        }
        if let Some(sen) = &p.sen {
            if sen.status != SenStatus::NoSen || !sen.earlier.is_empty() {
                out.push_str("      <SENhistory>\n");
                let current = sen.start_date.map(|d| (sen.status, d));
                for (status, start) in sen.earlier.iter().copied().chain(current) {
                    out.push_str(&format!(
                        "        <SEN>\n          <StartDate>{start}</StartDate>\n          <SENprovision>{}</SENprovision>\n        </SEN>\n",
                        status.census_code()
                    ));
                }
                if !sen.needs.is_empty() {
                    out.push_str("        <SENneeds>\n");
                    for need in &sen.needs {
                        out.push_str(&format!(
                            "          <SENneed>\n            <SENtypeRank>{}</SENtypeRank>\n            <SENtype>{}</SENtype>\n",
                            need.rank,
                            need.code.code()
                        ));
                        if let Some(start) = need.start_date {
                            out.push_str(&format!("            <NeedStartDate>{start}</NeedStartDate>\n"));
                        }
                        if let Some(end) = need.end_date {
                            out.push_str(&format!("            <NeedEndDate>{end}</NeedEndDate>\n"));
                        }
                        out.push_str("          </SENneed>\n");
                    }
                    out.push_str("        </SENneeds>\n");
                }
                out.push_str("      </SENhistory>\n");
            }
        }
        if let Some(pct) = p.attendance_pct {
            let absent = ((100.0 - pct) * 10.0).round() as u32;
            out.push_str(&format!(
                "      <Attendance>\n        <YearData>\n          <Year>{}</Year>\n          <SessionsPossible>1000</SessionsPossible>\n          <SessionsAuthorised>{}</SessionsAuthorised>\n          <SessionsUnauthorised>{}</SessionsUnauthorised>\n        </YearData>\n      </Attendance>\n",
                crate::pupil::academic_year(today),
                absent / 2,
                absent - absent / 2
            ));
        }
        if let Some(admitted) = p.admission_date {
            out.push_str(&format!(
                "      <SchoolHistory>\n        <School>\n          <LEA>{}</LEA>\n          <Estab>{}</Estab>\n          <SchoolName>{}</SchoolName>\n          <EntryDate>{admitted}</EntryDate>\n        </School>\n      </SchoolHistory>\n",
                x(from.la), x(from.estab), x(from.name)
            ));
        }
        out.push_str("      <Address>\n        <PAON>1</PAON>\n        <Street>Example Road</Street>\n        <Town>Exampleton</Town>\n      </Address>\n");
        out.push_str("    </Pupil>\n");
    }
    out.push_str("  </CTFpupilData>\n</CTfile>\n");
    out
}

fn escape(text: &str) -> String {
    quick_xml::escape::escape(text).into_owned()
}

