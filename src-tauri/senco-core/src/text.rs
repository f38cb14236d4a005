//! Text that people type: names, reasons, notes. Every text field goes through here before
//! it is stored, so the rules are the same in the app, the command line and imports.
//!
//! Rules kept here:
//! - surrounding spaces are trimmed;
//! - control characters (anything below a space, DEL, and C1 codes) are refused, and so are
//!   the invisible characters that change text direction (bidi overrides and isolates) or
//!   hide text (zero-width spaces, byte-order marks, line separators): they make a name look
//!   like another, or reorder what a printout says;
//! - every field has a length limit, named in the message;
//! - a name must contain a letter, and may hold only letters, accents, spaces, hyphens,
//!   apostrophes, full stops and brackets, so a formula or markup can never be a name.

use crate::error::FieldProblem;

/// The longest name part (first name or surname) accepted.
pub const NAME_MAX: usize = 100;
/// The longest one-line reason or short description.
pub const REASON_MAX: usize = 500;
/// The longest note (several lines).
pub const NOTE_MAX: usize = 5000;

/// Characters that are never allowed: they reorder or hide text.
pub fn is_hidden(c: char) -> bool {
    matches!(c,
        '\u{200B}'              // zero-width space
        | '\u{200E}' | '\u{200F}' // left-to-right and right-to-left marks
        | '\u{202A}'..='\u{202E}' // bidi embeddings and overrides
        | '\u{2066}'..='\u{2069}' // bidi isolates
        | '\u{061C}'            // Arabic letter mark
        | '\u{2028}' | '\u{2029}' // line and paragraph separators
        | '\u{2060}'..='\u{2064}' // word joiner and invisible operators
        | '\u{FEFF}'            // byte-order mark
        | '\u{FFF9}'..='\u{FFFB}' // interlinear annotation
        | '\u{00AD}'            // soft hyphen
        | '\u{180E}'            // Mongolian vowel separator
    )
}

/// What is wrong with one character, in words, if anything.
fn character_problem(c: char, multiline: bool) -> Option<String> {
    if c == '\n' && multiline {
        return None;
    }
    if c.is_control() {
        return Some(match c {
            '\t' => "a tab".to_string(),
            '\n' | '\r' => "a line break".to_string(),
            _ => format!("an invisible control character (U+{:04X})", c as u32),
        });
    }
    if is_hidden(c) {
        return Some(format!("a hidden formatting character (U+{:04X}) that can disguise or reorder text", c as u32));
    }
    None
}

fn checked(field: &str, label: &str, text: &str, max: usize, multiline: bool) -> Result<String, FieldProblem> {
    let text = if multiline { text.replace("\r\n", "\n") } else { text.to_string() };
    let text = text.trim();
    if let Some(problem) = text.chars().find_map(|c| character_problem(c, multiline)) {
        return Err(FieldProblem::new(field, format!("the {label} contains {problem}; retype it without")));
    }
    let length = text.chars().count();
    if length > max {
        return Err(FieldProblem::new(
            field,
            format!("the {label} is {length} characters long; at most {max} are allowed"),
        ));
    }
    Ok(text.to_string())
}

/// A part of a person's name. `required` names may not be empty.
pub fn name(field: &str, label: &str, text: &str, required: bool) -> Result<String, FieldProblem> {
    let text = checked(field, label, text, NAME_MAX, false)?;
    if text.is_empty() {
        return if required { Err(FieldProblem::new(field, format!("enter the {label}"))) } else { Ok(text) };
    }
    if !text.chars().any(char::is_alphabetic) {
        return Err(FieldProblem::new(field, format!("the {label} must contain at least one letter")));
    }
    let allowed = |c: char| {
        c.is_alphabetic()
            || is_combining_mark(c)
            || matches!(c, ' ' | '-' | '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}' | '.' | '(' | ')' | '\u{200C}' | '\u{200D}' | '\u{2010}')
            // A "?" stands where a Windows-1252 export could not write a letter ("Zo?" for
            // "Zoë"); the import warns about it (`import::plan`), and it is no markup.
            || c == '?'
    };
    if let Some(bad) = text.chars().find(|&c| !allowed(c)) {
        return Err(FieldProblem::new(
            field,
            format!("the {label} may contain letters, spaces, hyphens and apostrophes, not \"{bad}\""),
        ));
    }
    Ok(text)
}

/// One line of free text, such as a reason, a form name or a school's name.
pub fn line(field: &str, label: &str, text: &str, max: usize) -> Result<String, FieldProblem> {
    let text = checked(field, label, text, max, false)?;
    if !text.is_empty() && !text.chars().any(|c| c.is_alphanumeric() || c.is_ascii_punctuation()) {
        return Err(FieldProblem::new(field, format!("the {label} has no visible characters")));
    }
    Ok(text)
}

/// Several lines of free text, such as a note.
pub fn note(field: &str, label: &str, text: &str) -> Result<String, FieldProblem> {
    checked(field, label, text, NOTE_MAX, true)
}

/// Combining accents and marks (the common blocks), which names use with their letters.
fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

/// Text from a file made safe to quote in a message: control, direction and other hidden
/// characters are written as their code (`<U+001B>`), so a file can never put an escape
/// sequence, a NUL or a direction override into a terminal or a screen, and anything over 40
/// characters is cut short. Every message that quotes what a file holds goes through here.
pub fn shown(text: &str) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == 40 {
            out.push('…');
            break;
        }
        if c.is_control() || is_hidden(c) {
            out.push_str(&format!("<U+{:04X}>", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_name(input: &str, expected: &str) {
        let actual = match name("legalSurname", "legal surname", input, true) {
            Ok(text) => format!("ok: {text}"),
            Err(problem) => problem.message,
        };
        assert_eq!(actual, expected, "for {input:?}");
    }

    #[test]
    fn real_names_in_many_languages_are_accepted() {
        check_name("  Quill ", "ok: Quill");
        check_name("O'Brien", "ok: O'Brien");
        check_name("Montgomery-Fitzwilliam-Smythe", "ok: Montgomery-Fitzwilliam-Smythe");
        check_name("Nguyễn", "ok: Nguyễn");
        check_name("Zoë", "ok: Zoë");
        check_name("Zoe\u{0308}", "ok: Zoe\u{0308}");
        check_name("محمد", "ok: محمد");
        check_name("王", "ok: 王");
        check_name("St. John", "ok: St. John");
        check_name("D\u{2019}Souza", "ok: D\u{2019}Souza");
    }

    #[test]
    fn hidden_characters_markup_and_formulas_are_refused_with_a_reason() {
        check_name("", "enter the legal surname");
        check_name("\u{200B}\u{200B}", "the legal surname contains a hidden formatting character (U+200B) that can disguise or reorder text; retype it without");
        check_name("Quill\u{202E}lliuq", "the legal surname contains a hidden formatting character (U+202E) that can disguise or reorder text; retype it without");
        check_name("Qu\u{0007}ill", "the legal surname contains an invisible control character (U+0007); retype it without");
        check_name("Quill\nSmith", "the legal surname contains a line break; retype it without");
        check_name("\u{0301}\u{0301}", "the legal surname must contain at least one letter");
        check_name("=HYPERLINK(\"x\")", "the legal surname may contain letters, spaces, hyphens and apostrophes, not \"=\"");
        check_name("<b>Quill</b>", "the legal surname may contain letters, spaces, hyphens and apostrophes, not \"<\"");
        check_name(&"a".repeat(10_000), "the legal surname is 10000 characters long; at most 100 are allowed");
    }

    #[test]
    fn free_text_keeps_punctuation_but_not_hidden_characters() {
        assert_eq!(line("reason", "reason", " after the spring review (SALT report) ", REASON_MAX).unwrap(), "after the spring review (SALT report)");
        assert_eq!(line("reason", "reason", "=1+1", REASON_MAX).unwrap(), "=1+1", "stored as typed; exports neutralise it");
        assert!(line("reason", "reason", "\u{2066}x", REASON_MAX).is_err());
        assert_eq!(line("reason", "reason", "\u{200D}", REASON_MAX).unwrap_err().message, "the reason has no visible characters");
        assert_eq!(note("note", "note", "line one\r\nline two").unwrap(), "line one\nline two");
        assert!(note("note", "note", &"x".repeat(NOTE_MAX + 1)).is_err());
    }
}
