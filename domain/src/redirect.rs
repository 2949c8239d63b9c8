//! Where a user may be sent back to after signing in or switching the language: a path on this
//! site, never another site. One guard for every `next=` parameter.

/// The longest `next` kept; a longer one is replaced by the home page.
pub const MAX_LEN: usize = 2000;

/// `next` if it is a path on this site, else `/`.
///
/// Browsers drop tabs and line breaks anywhere in a URL and read `\` as `/`, so `/\t/evil`,
/// `/\n/evil` and `/\evil` all become `//evil` — another site. A path is therefore accepted only
/// if it starts with one `/` followed by something other than `/` or `\`, and holds no control
/// character and no `\` anywhere. Server-function endpoints (`/api/…`) are not pages to land on.
/// Spaces and characters outside ASCII are percent-encoded, so the result is always a valid
/// `Location` of visible characters.
pub fn local_path(next: Option<&str>) -> String {
    let Some(next) = next else { return "/".to_owned() };
    let bytes = next.as_bytes();
    let acceptable = bytes.first() == Some(&b'/')
        && !matches!(bytes.get(1), Some(b'/' | b'\\'))
        && next.len() <= MAX_LEN
        && !next.chars().any(|c| c.is_control() || c == '\\')
        && !next.starts_with("/api/");
    if !acceptable {
        return "/".to_owned();
    }
    let mut path = String::with_capacity(next.len());
    for c in next.chars() {
        if c.is_ascii_graphic() {
            path.push(c);
        } else {
            let mut buffer = [0u8; 4];
            for byte in c.encode_utf8(&mut buffer).bytes() {
                path.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Values that must never lead off the site, gathered from open-redirect write-ups (OWASP's
    /// unvalidated-redirects cheat sheet, PortSwigger's URL-validation bypass list) and from the
    /// two that got past the old guards (`/\t/evil.example`, and a line break that made the
    /// response builder panic).
    const HOSTILE: &[&str] = &[
        "//evil.example",
        "///evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "/\t/evil.example",
        "/\n/evil.example",
        "/\r/evil.example",
        "/\r\n/evil.example",
        "\t//evil.example",
        "/\u{0}/evil.example",
        "/\u{7f}/evil.example",
        "/\u{85}/evil.example",
        "/ /\\evil.example",
        "https://evil.example",
        "http:/evil.example",
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "evil.example",
        "@evil.example",
        " /x",
        "",
        "/api/logout",
        "/api/login?x=1",
    ];

    #[test]
    fn nothing_in_the_hostile_corpus_leaves_the_site() {
        for next in HOSTILE {
            assert_eq!(local_path(Some(next)), "/", "{next:?}");
        }
        assert_eq!(local_path(None), "/");
        assert_eq!(local_path(Some(&format!("/{}", "a".repeat(MAX_LEN)))), "/");
    }

    #[test]
    fn paths_on_the_site_are_kept() {
        for next in ["/", "/carriers", "/carriers/3/spaces?on=2026-01-01&x=%2F%2F", "/a/b#c", "/%0a/not-a-break"] {
            assert_eq!(local_path(Some(next)), next);
        }
    }

    #[test]
    fn chinese_in_a_path_is_percent_encoded_for_the_location_header() {
        assert_eq!(local_path(Some("/carriers?q=孵化")), "/carriers?q=%E5%AD%B5%E5%8C%96");
    }

    #[test]
    fn whatever_comes_in_the_result_is_a_local_path_of_visible_ascii() {
        // Every string of up to three characters from an alphabet of the characters that matter.
        let alphabet = ['/', '\\', '\t', '\n', '\r', ' ', 'a', ':', '.', '@', '%', '?', '#', '\u{0}', '\u{7f}', '孵'];
        let mut checked = 0;
        for a in alphabet {
            for b in alphabet {
                for c in alphabet {
                    for len in 1..=3 {
                        let candidate: String = [a, b, c][..len].iter().collect();
                        let path = local_path(Some(&candidate));
                        assert!(path.starts_with('/'), "{candidate:?} → {path:?}");
                        assert!(!path.starts_with("//") && !path.starts_with("/\\"), "{candidate:?} → {path:?}");
                        assert!(path.bytes().all(|b| (0x21..0x7f).contains(&b)), "{candidate:?} → {path:?}");
                        checked += 1;
                    }
                }
            }
        }
        assert_eq!(checked, 16 * 16 * 16 * 3);
    }
}
