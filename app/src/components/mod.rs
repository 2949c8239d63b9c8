//! Pieces every page uses: the layout, error and loading states, form fields and the pager.

pub mod chart;

use crate::accounts::api;
use crate::error::AppError;
use crate::i18n;
use domain::account::{Me, Role};
use domain::{FieldErrors, Lang, StartupId};
use leptos::ev::SubmitEvent;
use leptos::form::FromFormData;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_fluent::{I18n, tr};
use leptos_router::components::{A, Redirect};
use leptos_router::hooks::use_location;
use serde::de::DeserializeOwned;

/// Who is signed in, loaded once per page load and shared with every page.
#[derive(Clone, Copy)]
pub struct CurrentUser(pub Resource<Result<Option<Me>, AppError>>);

/// The signed-in user (`None` when nobody is), for pages to branch on.
pub fn use_current_user() -> Resource<Result<Option<Me>, AppError>> {
    expect_context::<CurrentUser>().0
}

/// Header with the navigation of the user's roles and the language switch, the page, and the
/// footer.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let me = Resource::new(|| (), |()| api::get_me());
    provide_context(CurrentUser(me));
    // On a phone the navigation folds into a menu: a checkbox and its label, so that it opens
    // before the WebAssembly has loaded too. Going to another page closes it.
    let menu_open = RwSignal::new(false);
    let location = use_location();
    Effect::new(move |_| {
        location.pathname.track();
        menu_open.set(false);
    });
    view! {
        <a class="skip-link" href="#main">
            {move || tr!("skip-to-content")}
        </a>
        <header class="site-header">
            <a class="brand" href="/">
                <span class="brand-name">{move || tr!("app-name")}</span>
                <span class="brand-subtitle">{move || tr!("app-subtitle")}</span>
            </a>
            <input
                type="checkbox"
                id="menu-toggle"
                class="menu-toggle"
                aria-controls="site-menu"
                prop:checked=menu_open
                on:change=move |ev| menu_open.set(event_target_checked(&ev))
            />
            <label for="menu-toggle" class="menu-button" data-testid="menu-button">
                {move || tr!("nav-menu")}
            </label>
            <div class="site-menu" id="site-menu">
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let me = me.await.ok().flatten();
                        view! { <Navigation me /> }
                    })}
                </Suspense>
            </div>
            <LanguageSwitch />
        </header>
        <main id="main" class="page">
            {children()}
        </main>
        <footer class="site-footer">{move || tr!("footer-text")}</footer>
    }
}

/// The links of the user's roles; sign-in and registration for visitors.
#[component]
fn Navigation(me: Option<Me>) -> impl IntoView {
    let Some(me) = me else {
        return view! {
            <nav class="site-nav" aria-label=move || tr!("nav-main")>
                <A href="/space">{move || tr!("nav-space")}</A>
                <A href="/login">{move || tr!("nav-login")}</A>
                <A href="/register">{move || tr!("nav-register")}</A>
            </nav>
        }
        .into_any();
    };
    let bureau = me.has(Role::Bureau);
    let operator = me.has(Role::Operator);
    let admin = me.has(Role::Admin);
    let startups: Vec<(StartupId, String)> = me.startups().map(|(id, name)| (id, name.to_owned())).collect();
    let name = me.display_name.clone();
    view! {
        <nav class="site-nav" aria-label=move || tr!("nav-main") data-testid="main-nav">
            {bureau.then(|| view! { <A href="/" exact=true>{move || tr!("nav-overview")}</A> })}
            {(operator && !bureau).then(|| view! { <A href="/" exact=true>{move || tr!("nav-home")}</A> })}
            {bureau.then(|| view! { <A href="/dashboard">{move || tr!("nav-dashboard")}</A> })}
            {bureau.then(|| view! { <A href="/carriers">{move || tr!("nav-carriers")}</A> })}
            {(operator && !bureau).then(|| view! { <A href="/carriers">{move || tr!("nav-my-carriers")}</A> })}
            // A startup's member: its page, and straight to its applications, leases and cap
            // table (for the one startup most members have).
            {let only = (startups.len() == 1).then(|| startups[0].0);
            view! {
                {startups
                    .into_iter()
                    .map(|(id, name)| view! { <A href=format!("/startups/{id}") exact=true>{name}</A> })
                    .collect_view()}
                {only.map(|id| view! {
                    <a href=format!("/startups/{id}#applications")>{move || tr!("nav-my-applications")}</a>
                    <a href=format!("/startups/{id}#leases")>{move || tr!("nav-my-leases")}</a>
                    <A href=format!("/startups/{id}/equity")>{move || tr!("nav-my-equity")}</A>
                })}
            }}
            {(!bureau && !operator && !admin).then(|| view! { <A href="/space">{move || tr!("nav-space")}</A> })}
            {(bureau || operator).then(|| view! { <A href="/applications">{move || tr!("nav-applications")}</A> })}
            {bureau.then(|| view! { <A href="/portfolio">{move || tr!("nav-portfolio")}</A> })}
            {(bureau || operator).then(|| view! { <A href="/readiness">{move || tr!("nav-readiness")}</A> })}
            {(admin || bureau).then(|| view! { <A href="/accounts">{move || tr!("nav-accounts")}</A> })}
            {(bureau || operator).then(|| view! { <A href="/audit">{move || tr!("nav-audit")}</A> })}
        </nav>
        <div class="user-menu">
            <A href="/account">{name}</A>
            <form method="post" action=api::Logout::url()>
                <button type="submit" class="link-button">{move || tr!("nav-logout")}</button>
            </form>
        </div>
    }
    .into_any()
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

/// A page's data while it loads: `Loading`, then `show` of the value, or the page for its error.
pub fn loaded<T, V>(
    resource: Resource<Result<T, AppError>>,
    show: impl Fn(T) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    view! {
        <Suspense fallback=Loading>
            {move || {
                let show = show.clone();
                Suspend::new(async move {
                    match resource.await {
                        Ok(value) => show(value).into_any(),
                        Err(error) => view! { <ErrorPage error /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
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
    if error == AppError::Unauthenticated {
        // Not signed in: off to the sign-in page, and back here afterwards.
        let location = use_location();
        let here = location.pathname.get_untracked();
        return view! { <Redirect path=format!("/login?next={}", url_encode(&here)) /> }.into_any();
    }
    set_status(error.status());
    let heading_of: fn(I18n) -> String = match error {
        AppError::NotFound => |i18n| tr!(i18n, "error-not-found-title"),
        AppError::Forbidden => |i18n| tr!(i18n, "error-forbidden-title"),
        _ => |i18n| tr!(i18n, "error-title"),
    };
    let i18n = expect_context::<I18n>();
    let heading = move || heading_of(i18n);
    let title = heading_of;
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
    .into_any()
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

/// `(code, translated label)` for every value of a closed set.
pub fn coded_options<T: Copy + Send + Sync + 'static>(
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T) -> String,
) -> Vec<(String, Signal<String>)> {
    all.iter().map(|&value| (code(value).to_owned(), Signal::derive(move || label(value)))).collect()
}

pub fn invalid(errors: Signal<FieldErrors>, field: &'static str) -> impl Fn() -> bool + Copy + Send + Sync + 'static {
    move || errors.with(|e| e.for_field(field).next().is_some())
}

#[component]
pub fn TextField(
    field: &'static str,
    label: fn() -> String,
    value: String,
    errors: Signal<FieldErrors>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] hint: Option<fn() -> String>,
    #[prop(optional)] optional: bool,
    /// The form's argument name: fields post as `form[name]`; empty for a flat `name`.
    #[prop(default = "form")]
    prefix: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    /// The input's id, when the same field appears more than once on a page.
    #[prop(optional, into)]
    id: Option<String>,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| format!("field-{field}"));
    let name = if prefix.is_empty() { field.to_owned() } else { format!("{prefix}[{field}]") };
    let invalid = invalid(errors, field);
    view! {
        <div class="field" class:field-invalid=invalid>
            <label for=id.clone()>
                {label}
                {optional.then(|| view! { " " <span class="optional">{move || tr!("field-optional")}</span> })}
            </label>
            <input
                id=id
                type=input_type
                name=name
                value=value
                autocomplete=autocomplete
                aria-invalid=move || invalid().to_string()
                aria-describedby=format!("{field}-hint {field}-problems")
            />
            {hint.map(|hint| view! { <p class="hint" id=format!("{field}-hint")>{hint}</p> })}
            <FieldProblems field errors />
        </div>
    }
}

#[component]
pub fn SelectField(
    field: &'static str,
    label: fn() -> String,
    options: Vec<(String, Signal<String>)>,
    selected: String,
    errors: Signal<FieldErrors>,
    #[prop(default = "form")] prefix: &'static str,
    /// The select's id, when the same field appears more than once on a page.
    #[prop(optional, into)]
    id: Option<String>,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| format!("field-{field}"));
    let name = if prefix.is_empty() { field.to_owned() } else { format!("{prefix}[{field}]") };
    let invalid = invalid(errors, field);
    view! {
        <div class="field" class:field-invalid=invalid>
            <label for=id.clone()>{label}</label>
            <select
                id=id
                name=name
                aria-invalid=move || invalid().to_string()
                aria-describedby=format!("{field}-problems")
            >
                <option value="" selected=selected.is_empty()>
                    {move || tr!("field-choose")}
                </option>
                {options
                    .into_iter()
                    .map(|(code, text)| {
                        let is_selected = code == selected;
                        view! {
                            <option value=code selected=is_selected>
                                {text}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <FieldProblems field errors />
        </div>
    }
}

/// A list's filters, folded behind a button on a phone; open there when a filter is set, so that
/// the reader sees what narrows the list. On a wider screen they always show.
#[component]
pub fn FilterFold(id: &'static str, open: bool, children: Children) -> impl IntoView {
    view! {
        <div class="fold">
            <input type="checkbox" id=id class="fold-toggle" checked=open />
            <label for=id class="fold-button button" data-testid="filters-button">
                {move || tr!("filters-show")}
            </label>
            <div class="fold-body">{children()}</div>
        </div>
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
