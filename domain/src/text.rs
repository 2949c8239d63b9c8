//! Texts for the reader, as data. The domain never holds the words of a label: it names a
//! Fluent message (`texts/locales/*/main.ftl`) by its key, with arguments, and whoever shows the
//! text (a page in the browser, a CSV or XLSX download on the server) renders it through the
//! same Fluent bundles (`texts::Fluent`). Names stored in both languages as reference data (a
//! district's, a target's) travel as [`Text::Names`]; values that read the same in every
//! language (numbers, dates, a company's name) as [`Text::Plain`].

use crate::Lang;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Text {
    /// A Fluent message: its key and its arguments (each a text itself).
    Message(Cow<'static, str>, Vec<(Cow<'static, str>, Text)>),
    /// Reference data kept in both languages: Chinese, English.
    Names(String, String),
    /// The same in every language.
    Plain(String),
}

/// What renders a message: the Fluent bundle of one language.
pub trait Messages {
    fn lang(&self) -> Lang;
    /// The message `key` with `args`, in [`Messages::lang`].
    fn message(&self, key: &str, args: &[(&str, String)]) -> String;
}

impl Text {
    /// The message `key`, without arguments.
    pub const fn key(key: &'static str) -> Text {
        Text::Message(Cow::Borrowed(key), Vec::new())
    }

    /// Adds the argument `name` (a message's only; other texts are returned unchanged).
    pub fn arg(self, name: &'static str, value: Text) -> Text {
        match self {
            Text::Message(key, mut args) => {
                args.push((Cow::Borrowed(name), value));
                Text::Message(key, args)
            }
            other => other,
        }
    }

    pub fn plain(text: impl Into<String>) -> Text {
        Text::Plain(text.into())
    }

    /// The text in the language of `messages`.
    pub fn render(&self, messages: &dyn Messages) -> String {
        match self {
            Text::Message(key, args) => {
                let args: Vec<(&str, String)> = args.iter().map(|(n, v)| (n.as_ref(), v.render(messages))).collect();
                messages.message(key, &args)
            }
            Text::Names(zh, en) => match messages.lang() {
                Lang::Zh => zh.clone(),
                Lang::En => en.clone(),
            },
            Text::Plain(text) => text.clone(),
        }
    }

    /// The message keys this text uses, its arguments' included.
    pub fn keys(&self) -> Vec<&str> {
        match self {
            Text::Message(key, args) => {
                let mut keys = vec![key.as_ref()];
                keys.extend(args.iter().flat_map(|(_, v)| v.keys()));
                keys
            }
            Text::Names(..) | Text::Plain(_) => Vec::new(),
        }
    }
}

/// Texts the system writes into records (a unit's change reason on import, the demonstration
/// city's reasons, the mark of a graduation the records could not prove). They are stored as a
/// code with at most one value — `@@import|units.csv` — and read back as a message, so that each
/// reader sees them in their own language. Anything else stored is a person's words, shown as
/// written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SystemText {
    /// A unit as first recorded.
    InitialRecord,
    /// A unit taken out of service for renovation.
    Renovation,
    /// A change made by importing a file; the value is the file's name.
    Import,
    /// A graduation the records could not prove; the value is the operator's evidence.
    Unproven,
    /// An application turned down because the space went to another applicant (demo history).
    NotAFit,
    /// A lease renewed on expiry (demo history).
    Renewal,
    /// A lease ended early at the tenant's request (demo history).
    EndedEarly,
}

const STORED_PREFIX: &str = "@@";

impl SystemText {
    const ALL: [SystemText; 7] = [
        SystemText::InitialRecord,
        SystemText::Renovation,
        SystemText::Import,
        SystemText::Unproven,
        SystemText::NotAFit,
        SystemText::Renewal,
        SystemText::EndedEarly,
    ];

    fn code(self) -> &'static str {
        match self {
            SystemText::InitialRecord => "initial_record",
            SystemText::Renovation => "renovation",
            SystemText::Import => "import",
            SystemText::Unproven => "unproven",
            SystemText::NotAFit => "not_a_fit",
            SystemText::Renewal => "renewal",
            SystemText::EndedEarly => "ended_early",
        }
    }

    fn text(self, value: &str) -> Text {
        Text::key(match self {
            SystemText::InitialRecord => "stored-initial-record",
            SystemText::Renovation => "stored-renovation",
            SystemText::Import => "stored-import",
            SystemText::Unproven => "stored-unproven",
            SystemText::NotAFit => "stored-not-a-fit",
            SystemText::Renewal => "stored-renewal",
            SystemText::EndedEarly => "stored-ended-early",
        })
        .arg("value", Text::plain(value))
    }

    /// The text as stored, with its value.
    pub fn store(self, value: &str) -> String {
        if value.is_empty() {
            format!("{STORED_PREFIX}{}", self.code())
        } else {
            format!("{STORED_PREFIX}{}|{value}", self.code())
        }
    }
}

/// A stored text for the reader: the system's as a message, anyone else's as written.
pub fn stored(raw: &str) -> Text {
    let Some(rest) = raw.strip_prefix(STORED_PREFIX) else { return Text::plain(raw) };
    let (code, value) = rest.split_once('|').unwrap_or((rest, ""));
    match SystemText::ALL.into_iter().find(|t| t.code() == code) {
        Some(text) => text.text(value),
        None => Text::plain(raw),
    }
}

/// Messages that render as their key and arguments: for tests that check which texts the domain
/// chose without depending on their words.
#[derive(Debug, Clone, Copy)]
pub struct Keys(pub Lang);

impl Messages for Keys {
    fn lang(&self) -> Lang {
        self.0
    }

    fn message(&self, key: &str, args: &[(&str, String)]) -> String {
        if args.is_empty() {
            key.to_owned()
        } else {
            let args: Vec<String> = args.iter().map(|(n, v)| format!("{n}={v}")).collect();
            format!("{key}({})", args.join(","))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_systems_texts_are_stored_as_codes_and_read_in_the_readers_language() {
        let stored_import = SystemText::Import.store("units.csv");
        assert_eq!(stored_import, "@@import|units.csv");
        assert_eq!(stored(&stored_import).render(&Keys(Lang::En)), "stored-import(value=units.csv)");
        assert_eq!(stored(&SystemText::Renovation.store("")).render(&Keys(Lang::Zh)), "stored-renovation(value=)");
        // A person's words stay theirs, even when they look like a code.
        assert_eq!(stored("装修后重新出租").render(&Keys(Lang::Zh)), "装修后重新出租");
        assert_eq!(stored("@@nonsense|x").render(&Keys(Lang::Zh)), "@@nonsense|x");
    }

    #[test]
    fn arguments_render_in_the_same_language() {
        let text = Text::key("table-col-graduated-by").arg("criterion", Text::key("graduated-none"));
        assert_eq!(text.render(&Keys(Lang::En)), "table-col-graduated-by(criterion=graduated-none)");
        assert_eq!(text.keys(), ["table-col-graduated-by", "graduated-none"]);
        let names = Text::Names("兰山区".into(), "Lanshan District".into());
        assert_eq!(names.render(&Keys(Lang::Zh)), "兰山区");
        assert_eq!(names.render(&Keys(Lang::En)), "Lanshan District");
        assert!(names.keys().is_empty());
    }
}
