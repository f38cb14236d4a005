//! The school census vocabulary: SEN status (provision) codes, the 13 DfE type-of-need codes
//! and the four broad areas of need from the SEND Code of Practice.
//!
//! "Pupil of concern / monitoring" is the school's own stage before SEN support. It is kept
//! as its own status here but is not a census code: anything census-facing shows it as N.

use std::fmt;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A pupil's SEN status. The database stores `code()`; the census sees `census_code()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum SenStatus {
    NoSen,
    Monitoring,
    SenSupport,
    EhcPlan,
}

impl SenStatus {
    pub const ALL: [SenStatus; 4] =
        [SenStatus::NoSen, SenStatus::Monitoring, SenStatus::SenSupport, SenStatus::EhcPlan];

    /// The code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            SenStatus::NoSen => "N",
            SenStatus::Monitoring => "M",
            SenStatus::SenSupport => "K",
            SenStatus::EhcPlan => "E",
        }
    }

    /// The census provision code: monitoring is not a census stage and counts as N.
    pub fn census_code(self) -> &'static str {
        match self {
            SenStatus::Monitoring => "N",
            other => other.code(),
        }
    }

    pub fn from_code(code: &str) -> Option<SenStatus> {
        SenStatus::ALL.into_iter().find(|s| s.code().eq_ignore_ascii_case(code.trim()))
    }

    pub fn label(self) -> &'static str {
        match self {
            SenStatus::NoSen => "No SEN",
            SenStatus::Monitoring => "Pupil of concern / monitoring",
            SenStatus::SenSupport => "SEN support (K)",
            SenStatus::EhcPlan => "EHC plan (E)",
        }
    }

    /// The label for badges and narrow columns.
    pub fn short_label(self) -> &'static str {
        match self {
            SenStatus::Monitoring => "Monitoring",
            other => other.label(),
        }
    }

    /// Whether a need with this code may be recorded while a pupil has this status:
    /// NSA (no specialist assessment) belongs to SEN support only.
    pub fn allows(self, need: NeedCode) -> bool {
        need != NeedCode::NSA || self == SenStatus::SenSupport
    }

    /// A change to this status is asked about before it is made: an EHC plan is a legal
    /// document, and no SEN ends the pupil's SEN record.
    pub fn asks_confirmation(self) -> bool {
        matches!(self, SenStatus::EhcPlan | SenStatus::NoSen)
    }

    /// SEN support and EHC plans are the statuses that need a recorded primary need.
    pub fn needs_primary_need(self) -> bool {
        matches!(self, SenStatus::SenSupport | SenStatus::EhcPlan)
    }
}

impl fmt::Display for SenStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The four broad areas of need, plus "uncategorised" for OTH and NSA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum BroadArea {
    CommunicationAndInteraction,
    CognitionAndLearning,
    SocialEmotionalMentalHealth,
    SensoryAndPhysical,
    Uncategorised,
}

impl BroadArea {
    pub const ALL: [BroadArea; 5] = [
        BroadArea::CommunicationAndInteraction,
        BroadArea::CognitionAndLearning,
        BroadArea::SocialEmotionalMentalHealth,
        BroadArea::SensoryAndPhysical,
        BroadArea::Uncategorised,
    ];

    pub fn label(self) -> &'static str {
        match self {
            BroadArea::CommunicationAndInteraction => "Communication and interaction",
            BroadArea::CognitionAndLearning => "Cognition and learning",
            BroadArea::SocialEmotionalMentalHealth => "Social, emotional and mental health",
            BroadArea::SensoryAndPhysical => "Sensory and/or physical needs",
            BroadArea::Uncategorised => "Not assigned to an area",
        }
    }

    /// A short stable name for the command line.
    pub fn slug(self) -> &'static str {
        match self {
            BroadArea::CommunicationAndInteraction => "ci",
            BroadArea::CognitionAndLearning => "cl",
            BroadArea::SocialEmotionalMentalHealth => "semh",
            BroadArea::SensoryAndPhysical => "sp",
            BroadArea::Uncategorised => "other",
        }
    }

    pub fn from_slug(slug: &str) -> Option<BroadArea> {
        BroadArea::ALL.into_iter().find(|a| a.slug().eq_ignore_ascii_case(slug.trim()))
    }
}

/// The 13 DfE type-of-need codes used in the school census.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum NeedCode {
    SPLD,
    MLD,
    SLD,
    PMLD,
    SEMH,
    SLCN,
    HI,
    VI,
    MSI,
    PD,
    ASD,
    OTH,
    NSA,
}

impl NeedCode {
    pub const ALL: [NeedCode; 13] = [
        NeedCode::SPLD,
        NeedCode::MLD,
        NeedCode::SLD,
        NeedCode::PMLD,
        NeedCode::SEMH,
        NeedCode::SLCN,
        NeedCode::HI,
        NeedCode::VI,
        NeedCode::MSI,
        NeedCode::PD,
        NeedCode::ASD,
        NeedCode::OTH,
        NeedCode::NSA,
    ];

    pub fn code(self) -> &'static str {
        match self {
            NeedCode::SPLD => "SPLD",
            NeedCode::MLD => "MLD",
            NeedCode::SLD => "SLD",
            NeedCode::PMLD => "PMLD",
            NeedCode::SEMH => "SEMH",
            NeedCode::SLCN => "SLCN",
            NeedCode::HI => "HI",
            NeedCode::VI => "VI",
            NeedCode::MSI => "MSI",
            NeedCode::PD => "PD",
            NeedCode::ASD => "ASD",
            NeedCode::OTH => "OTH",
            NeedCode::NSA => "NSA",
        }
    }

    pub fn from_code(code: &str) -> Option<NeedCode> {
        NeedCode::ALL.into_iter().find(|n| n.code().eq_ignore_ascii_case(code.trim()))
    }

    /// The category's name, short enough for a timeline: "Specific learning difficulty".
    pub fn name(self) -> &'static str {
        match self {
            NeedCode::SPLD => "Specific learning difficulty",
            NeedCode::NSA => "Type of need not yet assessed",
            other => other.description(),
        }
    }

    /// Our own short description of the DfE category, for pickers.
    pub fn description(self) -> &'static str {
        match self {
            NeedCode::SPLD => "Specific learning difficulty, such as dyslexia or dyscalculia",
            NeedCode::MLD => "Moderate learning difficulty",
            NeedCode::SLD => "Severe learning difficulty",
            NeedCode::PMLD => "Profound and multiple learning difficulty",
            NeedCode::SEMH => "Social, emotional and mental health",
            NeedCode::SLCN => "Speech, language and communication needs",
            NeedCode::HI => "Hearing impairment",
            NeedCode::VI => "Vision impairment",
            NeedCode::MSI => "Multi-sensory impairment",
            NeedCode::PD => "Physical disability",
            NeedCode::ASD => "Autistic spectrum disorder",
            NeedCode::OTH => "Other difficulty or disability",
            NeedCode::NSA => "SEN support, type of need not yet assessed",
        }
    }

    pub fn area(self) -> BroadArea {
        match self {
            NeedCode::SPLD | NeedCode::MLD | NeedCode::SLD | NeedCode::PMLD => {
                BroadArea::CognitionAndLearning
            }
            NeedCode::SEMH => BroadArea::SocialEmotionalMentalHealth,
            NeedCode::SLCN | NeedCode::ASD => BroadArea::CommunicationAndInteraction,
            NeedCode::HI | NeedCode::VI | NeedCode::MSI | NeedCode::PD => {
                BroadArea::SensoryAndPhysical
            }
            NeedCode::OTH | NeedCode::NSA => BroadArea::Uncategorised,
        }
    }
}

impl fmt::Display for NeedCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// One row of the need-type list, for pickers and legends.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NeedType {
    pub code: NeedCode,
    /// Short, for timelines: "Specific learning difficulty".
    pub name: String,
    pub description: String,
    pub area: BroadArea,
    pub area_label: String,
}

pub fn need_types() -> Vec<NeedType> {
    NeedCode::ALL
        .into_iter()
        .map(|code| NeedType {
            code,
            name: code.name().to_string(),
            description: code.description().to_string(),
            area: code.area(),
            area_label: code.area().label().to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_need_code_round_trips_and_has_an_area() {
        let table: Vec<String> = NeedCode::ALL
            .into_iter()
            .map(|n| {
                assert_eq!(NeedCode::from_code(&n.code().to_lowercase()), Some(n));
                format!("{} {}", n.code(), n.area().slug())
            })
            .collect();
        assert_eq!(
            table.join(", "),
            "SPLD cl, MLD cl, SLD cl, PMLD cl, SEMH semh, SLCN ci, HI sp, VI sp, MSI sp, PD sp, ASD ci, OTH other, NSA other"
        );
    }

    #[test]
    fn monitoring_is_reported_to_the_census_as_no_sen() {
        let census: Vec<&str> = SenStatus::ALL.iter().map(|s| s.census_code()).collect();
        assert_eq!(census, ["N", "N", "K", "E"]);
        assert_eq!(SenStatus::from_code("m"), Some(SenStatus::Monitoring));
    }
}
