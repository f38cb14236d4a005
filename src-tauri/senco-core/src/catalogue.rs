//! Provision catalogues: the frameworks a plan ticks, such as the shipped adaptation of
//! Kent's Mainstream Core Standards. The format is documented in `docs/formats/catalogue.md`.
//!
//! Loading never fails whole: `parse` returns every entry it could read and a list of
//! problems, each with its line number, so a school sees everything wrong with its file at
//! once and the good entries still load. The shipped catalogue has no problems (a test).

use std::collections::HashSet;

use serde::Serialize;
use ts_rs::TS;

use crate::census::BroadArea;
use crate::text::shown;

/// The catalogue that ships with the app.
pub const SHIPPED: &str = include_str!("../../../assets/catalogue/mcs.catalogue");

/// The largest catalogue file read (`files::CATALOGUE_LIMIT`): a real framework is well
/// under 1 MB.
pub const FILE_MAX_BYTES: usize = crate::files::CATALOGUE_LIMIT.bytes() as usize;

/// The longest item text accepted.
pub const ITEM_MAX: usize = 500;

/// The longest header values accepted, in characters: the name and version are stored with
/// every tick and printed on plans and packs, so they are kept to a line.
pub const NAME_MAX: usize = 100;
pub const VERSION_MAX: usize = 40;
pub const NOTICE_MAX: usize = 500;

/// One tickable item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CatalogueItem {
    /// Stable id, e.g. `MCS.S2.CI.STRAT.07`.
    pub id: String,
    /// The section's title, e.g. "Expectations of all schools".
    pub section: String,
    /// The broad area, for items under an `area`.
    pub area: Option<BroadArea>,
    /// The heading's title, e.g. "Strategies".
    pub heading: String,
    pub text: String,
    /// Whether a plan may tick it: see [`offers_provision`].
    pub provision: bool,
}

/// The heading code for how a pupil may present: its items describe need, not provision.
pub const PRESENTATION_CODE: &str = "PRES";

/// Whether the item with this id is provision a plan may tick: every item except those
/// under a heading coded `PRES` (docs/formats/catalogue.md).
pub fn offers_provision(id: &str) -> bool {
    !id.split('.').any(|code| code == PRESENTATION_CODE)
}

/// A catalogue as loaded: its name, version and items in file order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Catalogue {
    pub name: String,
    pub version: String,
    pub prefix: String,
    /// Shown wherever the catalogue is shown, e.g. where its wording comes from.
    pub notice: String,
    pub items: Vec<CatalogueItem>,
}

impl Catalogue {
    pub fn item(&self, id: &str) -> Option<&CatalogueItem> {
        self.items.iter().find(|item| item.id == id)
    }
}

/// One thing wrong with a catalogue file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CatalogueProblem {
    /// 1-based line number.
    pub line: usize,
    pub message: String,
    /// A problem with the header (the name, version or prefix), which no entry can be
    /// loaded without: `Store::load_catalogue` refuses the whole file for one.
    #[serde(skip)]
    #[ts(skip)]
    pub header: bool,
}

impl Loaded {
    /// Why the file cannot be loaded at all, if it cannot: a header problem (a missing,
    /// empty or over-long name, version or prefix), or no item to tick. Entry problems only
    /// skip their entries.
    pub fn refusal(&self) -> Option<String> {
        if let Some(p) = self.problems.iter().find(|p| p.header) {
            return Some(format!("line {}: {}", p.line, p.message));
        }
        if self.catalogue.items.is_empty() {
            let first = self.problems.first().map(|p| format!(" (line {}: {})", p.line, p.message)).unwrap_or_default();
            return Some(format!("the file has no usable catalogue items{first}"));
        }
        None
    }
}

/// What loading a catalogue file found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Loaded {
    pub catalogue: Catalogue,
    pub problems: Vec<CatalogueProblem>,
}

/// The shipped catalogue. It is checked by a test, so its problems list is always empty.
pub fn shipped() -> Catalogue {
    parse(SHIPPED).catalogue
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Section,
    Area,
    Heading,
    Item,
}

struct Open {
    kind: Kind,
    level: usize,
    code: String,
    title: String,
    area: Option<BroadArea>,
}

fn valid_code(code: &str) -> bool {
    (1..=12).contains(&code.len()) && code.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

fn area_for(code: &str) -> Option<BroadArea> {
    BroadArea::ALL.into_iter().find(|area| area.slug().eq_ignore_ascii_case(code) && *area != BroadArea::Uncategorised)
}

/// Reads a catalogue file, keeping every good entry and listing every problem.
pub fn parse(text: &str) -> Loaded {
    let mut problems = Vec::new();
    let mut name = None;
    let mut version = None;
    let mut prefix = None;
    let mut notice = None;
    let mut items = Vec::new();
    let mut ids = HashSet::new();
    // The entries above the current line, outermost first; `None` marks a skipped entry
    // whose children are skipped with it.
    let mut stack: Vec<Option<Open>> = Vec::new();
    let mut in_body = false;
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);

    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let mut problem = |message: String| problems.push(CatalogueProblem { line, message, header: false });
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if raw.trim().is_empty() || raw.trim_start().starts_with('#') {
            continue;
        }
        if raw.contains('\t') {
            problem("bad indentation: a tab; indent with two spaces per level".into());
            continue;
        }
        let indent = raw.len() - raw.trim_start_matches(' ').len();
        let body = raw.trim();
        let Some((head, value)) = body.split_once(':') else {
            problem(format!("\"{}\" has no colon: write `kind CODE: text` or `key: value`", shown(body)));
            continue;
        };
        let value = value.trim();
        if let Some(c) = value.chars().find(|c| c.is_control() || crate::text::is_hidden(*c)) {
            problem(format!("the text contains an invisible character (U+{:04X})", c as u32));
            continue;
        }
        let mut words = head.split_whitespace();
        let (Some(kind_word), code) = (words.next(), words.next()) else {
            problem("a line with nothing before its colon".into());
            continue;
        };

        if !in_body && code.is_none() {
            if indent != 0 {
                problem("bad indentation: header lines start at the margin".into());
                continue;
            }
            let (slot, max) = match kind_word {
                "catalogue" => (&mut name, NAME_MAX),
                "version" => (&mut version, VERSION_MAX),
                "prefix" => (&mut prefix, 12),
                "notice" => (&mut notice, NOTICE_MAX),
                other => {
                    problem(format!("unknown header \"{}\": use catalogue, version, prefix or notice", shown(other)));
                    continue;
                }
            };
            let length = value.chars().count();
            let wrong = if value.is_empty() && kind_word != "notice" {
                Some(format!("the {kind_word} header is empty"))
            } else if length > max {
                Some(format!("the {kind_word} header is {length} characters long; at most {max} are allowed"))
            } else {
                None
            };
            match wrong {
                Some(message) => problems.push(CatalogueProblem { line, message, header: true }),
                None => *slot = Some(value.to_string()),
            }
            continue;
        }

        let kind = match kind_word {
            "section" => Kind::Section,
            "area" => Kind::Area,
            "heading" => Kind::Heading,
            "item" => Kind::Item,
            other => {
                problem(format!("unknown kind \"{}\": use section, area, heading or item", shown(other)));
                continue;
            }
        };
        in_body = true;
        if words.next().is_some() {
            problem("more than one code before the colon".into());
            continue;
        }
        let code = code.unwrap_or("");
        if indent % 2 != 0 {
            problem(format!("bad indentation: {indent} spaces; indent by two spaces per level"));
            continue;
        }
        let level = indent / 2;
        if level > stack.len() {
            problem(format!("bad indentation: this line is indented {} levels below the entry above it", level - stack.len()));
            continue;
        }
        stack.truncate(level);
        // Under a skipped entry: skip quietly, its problem is already listed.
        if stack.iter().any(Option::is_none) {
            stack.push(None);
            continue;
        }
        let parent = stack.last().and_then(|p| p.as_ref()).map(|p| p.kind);
        let fits = matches!(
            (kind, parent),
            (Kind::Section, None)
                | (Kind::Area, Some(Kind::Section))
                | (Kind::Heading, Some(Kind::Section | Kind::Area))
                | (Kind::Item, Some(Kind::Heading))
        );
        let mut skip = |message: String, stack: &mut Vec<Option<Open>>| {
            problems.push(CatalogueProblem { line, message, header: false });
            stack.push(None);
        };
        if !fits {
            let where_ = match parent {
                None => "at the margin",
                Some(Kind::Section) => "inside a section",
                Some(Kind::Area) => "inside an area",
                Some(Kind::Heading) => "inside a heading",
                Some(Kind::Item) => "inside an item",
            };
            skip(format!("bad indentation: {kind_word} cannot go {where_}"), &mut stack);
            continue;
        }
        if !valid_code(code) {
            skip(format!("the code \"{}\" must be 1 to 12 capital letters or digits", shown(code)), &mut stack);
            continue;
        }
        if value.is_empty() {
            skip(format!("{kind_word} {code} has empty text"), &mut stack);
            continue;
        }
        if value.chars().count() > ITEM_MAX {
            skip(format!("{kind_word} {code} is {} characters long; at most {ITEM_MAX} are allowed", value.chars().count()), &mut stack);
            continue;
        }
        let area = match kind {
            Kind::Area => match area_for(code) {
                Some(area) => Some(area),
                None => {
                    skip(format!("unknown area {code}: use CI, CL, SEMH or SP"), &mut stack);
                    continue;
                }
            },
            _ => stack.iter().flatten().find_map(|o| o.area),
        };
        if kind == Kind::Item {
            let codes: Vec<&str> = stack.iter().flatten().map(|o| o.code.as_str()).chain([code]).collect();
            let id = format!("{}.{}", prefix.as_deref().unwrap_or("?"), codes.join("."));
            if !ids.insert(id.clone()) {
                skip(format!("duplicate id {id}: this item is skipped"), &mut stack);
                continue;
            }
            let section = stack.iter().flatten().find(|o| o.kind == Kind::Section).map(|o| o.title.clone()).unwrap_or_default();
            let heading = stack.iter().flatten().rev().find(|o| o.kind == Kind::Heading).map(|o| o.title.clone()).unwrap_or_default();
            items.push(CatalogueItem { provision: offers_provision(&id), id, section, area, heading, text: value.to_string() });
        }
        stack.push(Some(Open { kind, level, code: code.to_string(), title: value.to_string(), area }));
        debug_assert!(stack.last().and_then(|o| o.as_ref()).is_none_or(|o| o.level == level));
    }

    for (key, slot) in [("catalogue", &name), ("version", &version), ("prefix", &prefix)] {
        // A header given but refused has its own problem already.
        if slot.is_none() && !problems.iter().any(|p| p.header && p.message.starts_with(&format!("the {key} header"))) {
            problems.push(CatalogueProblem { line: 1, message: format!("the `{key}:` header is missing"), header: true });
        }
    }
    if let Some(p) = &prefix {
        if !valid_code(p) {
            problems.push(CatalogueProblem { line: 1, message: format!("the prefix \"{}\" must be 1 to 12 capital letters or digits", shown(p)), header: true });
        }
    }
    problems.sort_by_key(|p| p.line);
    let catalogue = Catalogue {
        name: name.unwrap_or_else(|| "Unnamed catalogue".into()),
        version: version.unwrap_or_default(),
        prefix: prefix.unwrap_or_default(),
        notice: notice.unwrap_or_default(),
        items,
    };
    Loaded { catalogue, problems }
}


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_catalogue_loads_without_problems_and_covers_both_sections() {
        let loaded = parse(SHIPPED);
        assert_eq!(loaded.problems, vec![], "the shipped catalogue has problems");
        let c = loaded.catalogue;
        assert_eq!(c.prefix, "MCS");
        assert!(c.notice.contains("not Kent's wording"), "{}", c.notice);
        assert!(c.items.len() >= 150, "only {} items", c.items.len());
        let s1: HashSet<&str> = c.items.iter().filter(|i| i.area.is_none()).map(|i| i.heading.as_str()).collect();
        assert_eq!(s1.len(), 8, "Section One has eight headings: {s1:?}");
        for area in [BroadArea::CommunicationAndInteraction, BroadArea::CognitionAndLearning, BroadArea::SocialEmotionalMentalHealth, BroadArea::SensoryAndPhysical] {
            let strategies = c.items.iter().filter(|i| i.area == Some(area) && i.id.contains(".STRAT.")).count();
            assert!(strategies >= 5, "{area:?} has {strategies} strategies");
        }
        assert!(c.item("MCS.S2.CI.STRAT.01").is_some());
    }

    #[test]
    fn every_problem_is_listed_with_its_line_and_good_entries_still_load() {
        let text = "catalogue: Test\nversion: 1\nprefix: T\n\
                    section S1: One\n\
                    \x20 heading H: Heading\n\
                    \x20   item 01: First\n\
                    \x20   item 01: Again\n\
                    \x20   item 02:\n\
                    \x20  item 03: odd indent\n\
                    \x20 area XX: Not an area\n\
                    \x20   heading H: Under a bad area\n\
                    \x20     item 01: skipped with its parent\n\
                    \x20 area CI: Communication\n\
                    \x20   heading S: Strategies\n\
                    \x20     item 01: Good one\n\
                    \x20     widget 02: What\n\
                    \x20 heading lower: Bad code\n\
                    item 09: at the margin\n\
                    \x20   item 04\tx: tab\n";
        let loaded = parse(text);
        let lines: Vec<(usize, &str)> = loaded.problems.iter().map(|p| (p.line, p.message.as_str())).collect();
        let ids: Vec<&str> = loaded.catalogue.items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["T.S1.H.01", "T.S1.CI.S.01"]);
        assert_eq!(loaded.catalogue.items[1].area, Some(BroadArea::CommunicationAndInteraction));
        let expect = [
            (7, "duplicate id T.S1.H.01"),
            (8, "item 02 has empty text"),
            (9, "bad indentation: 3 spaces"),
            (10, "unknown area XX"),
            (16, "unknown kind \"widget\""),
            (17, "the code \"lower\""),
            (18, "bad indentation: item cannot go at the margin"),
            (19, "bad indentation: a tab"),
        ];
        assert_eq!(lines.len(), expect.len(), "{lines:#?}");
        for ((line, message), (want_line, want)) in lines.iter().zip(expect) {
            assert_eq!(*line, want_line, "{message}");
            assert!(message.starts_with(want), "line {line}: {message:?} should start with {want:?}");
        }
    }

    #[test]
    fn messages_show_hidden_characters_from_the_file_as_their_codes() {
        let text = "catalogue: T\nversion: 1\nprefix: T\n\u{1b}[2J\u{0}\u{202E}evil\nsec\u{1b}]0;owned\u{7}tion S1: x\nsection \u{1b}[31m: y\n";
        let loaded = parse(text);
        assert_eq!(loaded.problems.len(), 3, "{:?}", loaded.problems);
        for p in &loaded.problems {
            assert!(!p.message.chars().any(|c| c.is_control() || crate::text::is_hidden(c)), "{:?}", p.message);
        }
        assert!(loaded.problems[0].message.contains("<U+001B>[2J<U+0000><U+202E>evil"), "{:?}", loaded.problems[0]);
        assert!(loaded.problems[1].message.contains("sec<U+001B>]0;owned<U+0007>tion"), "{:?}", loaded.problems[1]);
        assert!(loaded.problems[2].message.contains("<U+001B>[31m"), "{:?}", loaded.problems[2]);
    }

    #[test]
    fn a_file_that_is_not_a_catalogue_says_what_is_missing() {
        let loaded = parse("<html><body>hello</body></html>\n");
        assert!(loaded.catalogue.items.is_empty());
        let messages: Vec<&str> = loaded.problems.iter().map(|p| p.message.as_str()).collect();
        assert!(messages[0].contains("has no colon"), "{messages:?}");
        assert!(messages.iter().any(|m| m.contains("`catalogue:` header is missing")), "{messages:?}");
    }
}
