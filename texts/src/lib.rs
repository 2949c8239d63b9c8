//! Fuhua's words. Every label the product shows or writes lives in the Fluent files of this crate
//! (`locales/zh-CN/main.ftl`, `locales/en/main.ftl`), and there only. The pages read them through
//! `leptos-fluent`, which is handed [`TRANSLATIONS`], and the server renders the downloads and
//! reports through [`Fluent`]: one bundle per language, the same bundles for both.

use domain::{Lang, Messages};
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, StaticLoader, langid, static_loader};
use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::sync::LazyLock;

// Both languages' messages, parsed on first use.
static_loader! {
    pub static TRANSLATIONS = {
        locales: "./locales",
        fallback_language: "zh-CN",
        // No Unicode isolation marks around arguments: downloads and tests see the plain text.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static ZH: LanguageIdentifier = langid!("zh-CN");
static EN: LanguageIdentifier = langid!("en");

fn language(lang: Lang) -> &'static LanguageIdentifier {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

/// The messages of one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fluent(pub Lang);

impl Messages for Fluent {
    fn lang(&self) -> Lang {
        self.0
    }

    /// A key missing from the files renders as the key itself (the test below and
    /// `every_domain_text_exists_in_both_languages` keep that from happening).
    fn message(&self, key: &str, args: &[(&str, String)]) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue<'static>> =
            args.iter().map(|(n, v)| (Cow::Owned((*n).to_owned()), FluentValue::from(v.clone()))).collect();
        let args = (!args.is_empty()).then_some(&args);
        lookup(self.0, key, args).unwrap_or_else(|| key.to_owned())
    }
}

fn lookup(lang: Lang, key: &str, args: Option<&HashMap<Cow<'static, str>, FluentValue<'static>>>) -> Option<String> {
    let loader: &StaticLoader = &TRANSLATIONS;
    loader.lookup_single_language(language(lang), key, args).ok()
}

/// Whether `lang`'s file has a message `key` of its own (no fallback to the other language).
pub fn has(lang: Lang, key: &str) -> bool {
    static ZH_KEYS: LazyLock<BTreeSet<&'static str>> = LazyLock::new(|| keys(Lang::Zh).into_iter().collect());
    static EN_KEYS: LazyLock<BTreeSet<&'static str>> = LazyLock::new(|| keys(Lang::En).into_iter().collect());
    match lang {
        Lang::Zh => ZH_KEYS.contains(key),
        Lang::En => EN_KEYS.contains(key),
    }
}

/// The message keys of one language's file, in file order.
pub fn keys(lang: Lang) -> Vec<&'static str> {
    let file = match lang {
        Lang::Zh => include_str!("../locales/zh-CN/main.ftl"),
        Lang::En => include_str!("../locales/en/main.ftl"),
    };
    file.lines()
        .filter(|l| l.starts_with(|c: char| c.is_ascii_lowercase()))
        .filter_map(|l| l.split_once(" =").map(|(k, _)| k.trim_end()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::Text;

    #[test]
    fn both_files_hold_the_same_keys() {
        let zh = keys(Lang::Zh);
        let en = keys(Lang::En);
        assert!(zh.len() > 500, "{} keys", zh.len());
        let missing_en: Vec<_> = zh.iter().filter(|k| !has(Lang::En, k)).collect();
        let missing_zh: Vec<_> = en.iter().filter(|k| !has(Lang::Zh, k)).collect();
        assert!(missing_en.is_empty(), "keys without English: {missing_en:?}");
        assert!(missing_zh.is_empty(), "keys without Chinese: {missing_zh:?}");
    }

    #[test]
    fn large_areas_read_in_wan_square_metres_for_chinese_readers() {
        use domain::{Area, format::area};
        // A no-break space between figure and unit: a line never breaks `26.58 万平方米` apart.
        let zh = |a: Area| area(a).render(&Fluent(Lang::Zh));
        assert_eq!(zh(Area::from_square_metres(2_000_000)), "200.00\u{a0}万平方米");
        assert_eq!(zh(Area::from_hundredths(1_234_567_890)), "1,234.57\u{a0}万平方米");
        assert_eq!(zh(Area::from_square_metres(10_000)), "1.00\u{a0}万平方米");
        assert_eq!(zh(Area::from_hundredths(999_999)), "9,999.99\u{a0}平方米");
    }

    #[test]
    fn english_readers_get_square_metres() {
        use domain::{Area, format::area};
        assert_eq!(area(Area::from_square_metres(2_000_000)).render(&Fluent(Lang::En)), "2,000,000.00\u{a0}m²");
        assert_eq!(area(Area::from_hundredths(5)).render(&Fluent(Lang::En)), "0.05\u{a0}m²");
    }

    #[test]
    fn dates_follow_the_readers_convention() {
        let d = chrono_day(2024, 3, 5);
        assert_eq!(domain::format::date(d).render(&Fluent(Lang::Zh)), "2024年3月5日");
        assert_eq!(domain::format::date(d).render(&Fluent(Lang::En)), "5 Mar 2024");
        let t = d.and_hms_opt(14, 5, 0).expect("a time");
        assert_eq!(domain::format::date_time(t).render(&Fluent(Lang::Zh)), "2024年3月5日 14:05");
        assert_eq!(domain::format::date_time(t).render(&Fluent(Lang::En)), "5 Mar 2024 14:05");
        for (month, short) in [(1, "Jan"), (12, "Dec")] {
            assert_eq!(
                domain::format::date(chrono_day(2025, month, 31)).render(&Fluent(Lang::En)),
                format!("31 {short} 2025")
            );
        }
    }

    #[test]
    fn months_read_in_the_readers_language() {
        // Issue 15: "print months in the reader's language (`2027年3月`)".
        let d = chrono_day(2027, 3, 31);
        assert_eq!(domain::format::month(d).render(&Fluent(Lang::Zh)), "2027年3月");
        assert_eq!(domain::format::month(d).render(&Fluent(Lang::En)), "Mar 2027");
        let q = chrono_day(2026, 5, 5);
        assert_eq!(domain::format::quarter(q).render(&Fluent(Lang::Zh)), "2026年第2季度");
        assert_eq!(domain::format::quarter(q).render(&Fluent(Lang::En)), "Q2 2026");
        assert_eq!(domain::format::quarter(chrono_day(2026, 12, 31)).render(&Fluent(Lang::En)), "Q4 2026");
    }

    fn chrono_day(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(y, m, d).expect("a day")
    }

    #[test]
    fn no_message_is_defined_twice() {
        // A key defined twice makes the bundle refuse the whole file at its first use: every
        // page and download would fail.
        for lang in [Lang::Zh, Lang::En] {
            let mut seen = std::collections::BTreeSet::new();
            let twice: Vec<&str> = keys(lang).into_iter().filter(|k| !seen.insert(*k)).collect();
            assert!(twice.is_empty(), "{lang:?} defines {twice:?} more than once");
        }
    }

    #[test]
    fn both_bundles_load() {
        // The loader parses both files on first use; a file it cannot take fails here, not on a
        // reader's first request.
        for lang in [Lang::Zh, Lang::En] {
            assert_ne!(Fluent(lang).message("app-name", &[]), "app-name");
        }
    }

    #[test]
    fn a_text_renders_in_the_language_asked_for() {
        let text = Text::key("kind-maker-space");
        assert_eq!(text.render(&Fluent(Lang::Zh)), "众创空间");
        assert_eq!(text.render(&Fluent(Lang::En)), "Maker space");
        let flows = Text::key("table-col-graduated-by").arg("criterion", Text::key("graduated-none"));
        assert_eq!(flows.render(&Fluent(Lang::Zh)), "毕业：未注明标准");
        assert_eq!(flows.render(&Fluent(Lang::En)), "Graduated: No criterion given");
    }
}
