//! Pieces every page uses: the layout, error and loading states, form fields and the pager.

use crate::error::AppError;
use crate::i18n;
use domain::{FieldErrors, Lang};
use leptos::ev::SubmitEvent;
use leptos::form::FromFormData;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_fluent::{I18n, tr};
use leptos_router::components::A;
use leptos_router::hooks::use_location;
use serde::de::DeserializeOwned;

/// Header with navigation and language switch, the page, and the footer.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    view! {
        <a class="skip-link" href="#main">
            {move || tr!("skip-to-content")}
        </a>
        <header class="site-header">
            <a class="brand" href="/">
                <span class="brand-name">{move || tr!("app-name")}</span>
                <span class="brand-subtitle">{move || tr!("app-subtitle")}</span>
            </a>
            <nav class="site-nav" aria-label=move || tr!("nav-main")>
                <A href="/" exact=true>
                    {move || tr!("nav-overview")}
                </A>
                <A href="/carriers">{move || tr!("nav-carriers")}</A>
            </nav>
            <LanguageSwitch />
        </header>
        <main id="main" class="page">
            {children()}
        </main>
        <footer class="site-footer">{move || tr!("footer-text")}</footer>
    }
}

/// A link to the page in the other language. Without JavaScript it goes through `/lang/…`,
/// which sets the cookie and comes back; with it, the page switches in place.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let location = use_location();
    let target = move || match i18n::lang() {
        Lang::Zh => Lang::En,
        Lang::En => Lang::Zh,
    };
    let code = move || match target() {
        Lang::Zh => i18n::ZH,
        Lang::En => i18n::EN,
    };
    let href = move || {
        let search = location.search.get();
        let search = search.trim_start_matches('?');
        let here =
            if search.is_empty() { location.pathname.get() } else { format!("{}?{search}", location.pathname.get()) };
        format!("/lang/{}?next={}", code(), url_encode(&here))
    };
    view! {
        <a
            class="language-switch"
            href=href
            hreflang=code
            lang=code
            rel="nofollow"
            title=move || tr!("switch-language-label")
            on:click=move |ev| {
                ev.prevent_default();
                i18n::set_lang(target());
            }
        >
            {move || tr!("switch-language")}
        </a>
    }
}

/// Shown while a page's data loads (only ever seen after hydration: the server waits).
#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="loading" aria-live="polite">{move || tr!("loading")}</p> }
}

/// The page for a URL that matches no route.
#[component]
pub fn NotFound() -> impl IntoView {
    set_status(404);
    view! { <ErrorPage error=AppError::NotFound /> }
}

/// A whole page telling what went wrong; sets the response status when rendered on the server.
#[component]
pub fn ErrorPage(error: AppError) -> impl IntoView {
    set_status(error.status());
    let not_found = error == AppError::NotFound;
    let heading = move || {
        if not_found { tr!("error-not-found-title") } else { tr!("error-title") }
    };
    let title: fn(I18n) -> String =
        if not_found { |i18n| tr!(i18n, "error-not-found-title") } else { |i18n| tr!(i18n, "error-title") };
    view! {
        <i18n::PageTitle text=title />
        <section class="error-page">
            <h1>{heading}</h1>
            <p>{move || i18n::error(&error)}</p>
            <p>
                <a href="/">{move || tr!("error-home")}</a>
            </p>
        </section>
    }
}

/// A message about a failed request, inside a page.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    view! {
        <div class="notice notice-error" role="alert">
            {move || i18n::error(&error)}
        </div>
    }
}

/// Sets the HTTP status of the page being rendered on the server; does nothing in the browser.
pub fn set_status(status: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(response), Ok(code)) =
        (use_context::<leptos_axum::ResponseOptions>(), http::StatusCode::from_u16(status))
    {
        response.set_status(code);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = status;
}

/// A form posting to a server function, like `ActionForm`, that first runs `check` on the
/// submission in the browser: the same validation the server runs, so errors appear at once and
/// a form that cannot pass is not sent. Without JavaScript it simply posts.
#[component]
pub fn CheckedForm<S>(
    action: ServerAction<S>,
    /// The problems the browser can see already; `None` lets the form go.
    check: fn(&S) -> Option<FieldErrors>,
    /// Where the problems found in the browser are shown.
    local_errors: RwSignal<FieldErrors>,
    children: Children,
) -> impl IntoView
where
    S: ServerFn + DeserializeOwned + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
    S::Error: Send + Sync + 'static,
{
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        match S::from_event(&ev) {
            Ok(input) => match check(&input) {
                Some(problems) => local_errors.set(problems),
                None => {
                    local_errors.set(FieldErrors::new());
                    action.dispatch(input);
                }
            },
            Err(err) => leptos::logging::error!("the form could not be read: {err:?}"),
        }
    };
    view! {
        <form action=S::url() method="post" novalidate on:submit=on_submit>
            {children()}
        </form>
    }
}

/// The problems of one field, below it.
#[component]
pub fn FieldProblems(field: &'static str, errors: Signal<FieldErrors>) -> impl IntoView {
    move || {
        errors.with(|errors| {
            let problems: Vec<_> = errors.for_field(field).cloned().collect();
            (!problems.is_empty()).then(|| {
                view! {
                    <div class="field-problems" id=format!("{field}-problems")>
                        {problems
                            .into_iter()
                            .map(|problem| view! { <p class="field-error">{move || i18n::problem(&problem)}</p> })
                            .collect_view()}
                    </div>
                }
            })
        })
    }
}

/// Previous/next links and "page n of m".
#[component]
pub fn Pager(page: u32, pages: u32, href: impl Fn(u32) -> String + 'static) -> impl IntoView {
    let previous = (page > 1).then(|| href(page - 1));
    let next = (page < pages).then(|| href(page + 1));
    view! {
        <nav class="pager" aria-label=move || tr!("carriers-pagination")>
            {previous.map(|href| view! { <a rel="prev" href=href>{move || tr!("carriers-previous")}</a> })}
            <span class="pager-position">
                {move || tr!("carriers-page", { "page" => page.to_string(), "pages" => pages.to_string() })}
            </span>
            {next.map(|href| view! { <a rel="next" href=href>{move || tr!("carriers-next")}</a> })}
        </nav>
    }
}

/// Percent-encodes everything but the unreserved characters of RFC 3986.
pub fn url_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// `key=value&…`, encoded.
pub fn query_string<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", url_encode(k.as_ref()), url_encode(v.as_ref())))
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_strings_are_encoded_so_chinese_and_ampersands_survive() {
        assert_eq!(url_encode("/carriers?q=园&page=2"), "%2Fcarriers%3Fq%3D%E5%9B%AD%26page%3D2");
        assert_eq!(query_string(&[("q", "a b&c"), ("page", "2")]), "q=a%20b%26c&page=2");
    }
}
