//! A carrier's entry in the space catalogue, as its operators write it: a short description, and
//! whether visitors who have not signed in may see it.

use crate::validation::{self, FieldErrors};
use serde::{Deserialize, Serialize};

/// The longest description a carrier may give, in characters.
pub const DESCRIPTION_MAX: u32 = 500;
/// Field names of the listing form.
pub mod field {
    pub const DESCRIPTION: &str = "description";
    pub const PUBLIC: &str = "public";
}

/// A carrier's catalogue entry as its operators write it: every field as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListingForm {
    pub description: String,
    /// A ticked checkbox posts `on`; an unticked one posts nothing.
    pub public: String,
}

/// A checked catalogue entry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listing {
    /// A few lines for startups: what the carrier offers. May be empty.
    pub description: String,
    /// Whether visitors who have not signed in see the entry (signed-in users see every
    /// carrier's).
    pub public: bool,
}

impl ListingForm {
    pub fn parse(&self) -> Result<Listing, FieldErrors> {
        let mut errors = FieldErrors::new();
        let description =
            errors.check(field::DESCRIPTION, validation::optional_text(&self.description, DESCRIPTION_MAX));
        match description {
            Some(description) if errors.is_empty() => Ok(Listing {
                description: description.unwrap_or_default(),
                public: !matches!(self.public.trim(), "" | "false" | "off"),
            }),
            _ => Err(errors),
        }
    }
}

impl From<&Listing> for ListingForm {
    fn from(listing: &Listing) -> Self {
        ListingForm {
            description: listing.description.clone(),
            public: if listing.public { "on".to_owned() } else { String::new() },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_description_is_optional_and_bounded() {
        let empty = ListingForm { description: "  ".into(), public: String::new() }.parse().unwrap();
        assert_eq!(empty, Listing { description: String::new(), public: false });
        let listed = ListingForm { description: " 面向生物医药初创团队 ".into(), public: "on".into() }.parse().unwrap();
        assert_eq!(listed, Listing { description: "面向生物医药初创团队".into(), public: true });
        let long = ListingForm { description: "孵".repeat(501), public: String::new() }.parse().unwrap_err();
        assert!(long.has(field::DESCRIPTION));
        assert_eq!(ListingForm::from(&listed).parse().unwrap(), listed);
    }
}
