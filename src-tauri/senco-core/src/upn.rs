//! The Unique Pupil Number: parsing and the DfE check letter.
//!
//! A UPN is 13 characters: a check letter, the allocating LA (3 digits), the allocating
//! school's establishment number (4), the two-digit year of allocation, and a 3-character
//! serial. A temporary UPN ends in a letter instead of a digit. `Upn::parse` is the only way
//! to make a `Upn`, so every `Upn` in the program has a correct check letter.

use std::fmt;

/// The 23 letters of the check-letter alphabet: no I, O or S.
const LETTERS: &[u8; 23] = b"ABCDEFGHJKLMNPQRTUVWXYZ";

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Upn(String);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UpnError {
    WrongLength(usize),
    BadCheckCharacter(char),
    NotDigits,
    BadLastCharacter(char),
    WrongCheckLetter { found: char, expected: char },
}

impl fmt::Display for UpnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UpnError::WrongLength(n) => write!(f, "a UPN has 13 characters, this has {n}"),
            UpnError::BadCheckCharacter(c) => {
                write!(f, "a UPN starts with a check letter (A to Z, not I, O or S), not '{c}'")
            }
            UpnError::NotDigits => write!(f, "characters 2 to 12 of a UPN must be digits"),
            UpnError::BadLastCharacter(c) => write!(
                f,
                "the last character must be a digit, or a letter other than I, O or S \
                 for a temporary UPN, not '{c}'"
            ),
            UpnError::WrongCheckLetter { found, expected } => write!(
                f,
                "the check letter does not match: it is {found} but the digits give {expected}; \
                 check the UPN for a typing mistake"
            ),
        }
    }
}

impl Upn {
    /// Parses a UPN, accepting lower case and surrounding spaces.
    pub fn parse(text: &str) -> Result<Upn, UpnError> {
        let upn = text.trim().to_ascii_uppercase();
        let chars: Vec<char> = upn.chars().collect();
        if chars.len() != 13 {
            return Err(UpnError::WrongLength(chars.len()));
        }
        let first = chars[0];
        if !first.is_ascii() || !LETTERS.contains(&(first as u8)) {
            return Err(UpnError::BadCheckCharacter(first));
        }
        if !chars[1..12].iter().all(|c| c.is_ascii_digit()) {
            return Err(UpnError::NotDigits);
        }
        let last = chars[12];
        if !(last.is_ascii_digit() || (last.is_ascii() && LETTERS.contains(&(last as u8)))) {
            return Err(UpnError::BadLastCharacter(last));
        }
        let expected = check_letter(&upn[1..]);
        if first != expected {
            return Err(UpnError::WrongCheckLetter { found: first, expected });
        }
        Ok(Upn(upn))
    }

    /// Builds a permanent UPN from its parts, computing the check letter.
    /// Used by the synthetic school; `serial` must be below 1000.
    pub fn from_parts(la: u16, establishment: u16, year: u16, serial: u16) -> Upn {
        let body = format!("{la:03}{establishment:04}{:02}{serial:03}", year % 100);
        Upn(format!("{}{body}", check_letter(&body)))
    }

    /// A temporary UPN ends in a letter; it must be replaced when the real one is known.
    pub fn is_temporary(&self) -> bool {
        self.0.as_bytes()[12].is_ascii_alphabetic()
    }

    /// The LA number of the authority that allocated it.
    pub fn la_code(&self) -> &str {
        &self.0[1..4]
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Upn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The check letter for the 12 characters after it: the sum of each character's value times
/// its position (2 to 13), modulo 23, as a letter. A temporary UPN's final letter counts as
/// its index in the same alphabet.
fn check_letter(body: &str) -> char {
    let sum: u32 = body
        .bytes()
        .enumerate()
        .map(|(i, b)| {
            let value = if b.is_ascii_digit() {
                u32::from(b - b'0')
            } else {
                LETTERS.iter().position(|&l| l == b).unwrap_or(0) as u32
            };
            value * (i as u32 + 2)
        })
        .sum();
    char::from(LETTERS[(sum % 23) as usize])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &str) {
        let actual = match Upn::parse(input) {
            Ok(upn) if upn.is_temporary() => format!("temporary {upn}"),
            Ok(upn) => format!("valid {upn}"),
            Err(e) => format!("invalid: {e}"),
        };
        assert_eq!(actual, expected, "parsing {input:?}");
    }

    #[test]
    fn the_dfe_and_worked_examples_parse() {
        check("R201100018042", "valid R201100018042");
        check("T20110001804V", "temporary T20110001804V");
        check("B801200005001", "valid B801200005001");
        check("J886123425001", "valid J886123425001");
        check("V88612342500A", "temporary V88612342500A");
        check("K886200724123", "valid K886200724123");
        check("  k886200724123 ", "valid K886200724123");
    }

    #[test]
    fn mistakes_are_named() {
        check("A801200005001", "invalid: the check letter does not match: it is A but the digits give B; check the UPN for a typing mistake");
        check("K88620072412", "invalid: a UPN has 13 characters, this has 12");
        check("I886200724123", "invalid: a UPN starts with a check letter (A to Z, not I, O or S), not 'I'");
        check("K8862007241X3", "invalid: characters 2 to 12 of a UPN must be digits");
        check("K88620072412O", "invalid: the last character must be a digit, or a letter other than I, O or S for a temporary UPN, not 'O'");
        check("Q207000016049", "invalid: the check letter does not match: it is Q but the digits give P; check the UPN for a typing mistake");
    }

    #[test]
    fn built_upns_always_parse() {
        for serial in [0, 1, 42, 999] {
            let upn = Upn::from_parts(886, 2001, 2019, serial);
            assert_eq!(Upn::parse(upn.as_str()), Ok(upn.clone()), "a generated UPN must be valid");
            assert_eq!(upn.la_code(), "886");
        }
    }
}
