#![recursion_limit = "256"]
//! Fuhua's user interface: pages rendered on the server, then hydrated in the browser. Every page
//! works before the WebAssembly has loaded: links are links and forms post.

pub mod api;
mod components;
pub use components::url_encode;
pub mod error;
pub mod i18n;
mod pages;

use leptos::prelude::*;
use leptos_meta::{Link, Meta, MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

/// The HTML document around the application, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The application: translation context, document metadata and routes.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <i18n::I18nProvider>
            <i18n::HtmlLang />
            <Stylesheet id="leptos" href="/pkg/fuhua.css" />
            <Link rel="icon" href="/favicon.svg" />
            <Meta name="color-scheme" content="light" />
            <Title formatter=|page: String| {
                if page.is_empty() { "孵化 Fuhua".to_owned() } else { format!("{page} · 孵化 Fuhua") }
            } />
            <Router>
                <components::Layout>
                    <Routes fallback=components::NotFound>
                        <Route path=path!("/") view=pages::overview::Home ssr=SsrMode::Async />
                        <Route path=path!("/login") view=pages::auth::LoginPage ssr=SsrMode::Async />
                        <Route path=path!("/register") view=pages::auth::RegisterPage ssr=SsrMode::Async />
                        <Route path=path!("/invite/:token") view=pages::auth::InvitePage ssr=SsrMode::Async />
                        <Route path=path!("/reset/:token") view=pages::auth::ResetPage ssr=SsrMode::Async />
                        <Route path=path!("/account") view=pages::auth::AccountPage ssr=SsrMode::Async />
                        <Route path=path!("/accounts") view=pages::accounts::AccountsPage ssr=SsrMode::Async />
                        <Route path=path!("/audit") view=pages::audit::AuditPage ssr=SsrMode::Async />
                        <Route path=path!("/startups/:id") view=pages::startups::StartupPage ssr=SsrMode::Async />
                        <Route
                            path=path!("/startups/:id/edit")
                            view=pages::startups::EditStartupPage
                            ssr=SsrMode::Async
                        />
                        <Route path=path!("/startups/:id/equity") view=pages::equity::CapTablePage ssr=SsrMode::Async />
                        <Route
                            path=path!("/startups/:id/equity/new")
                            view=pages::equity::RecordEventPage
                            ssr=SsrMode::Async
                        />
                        <Route path=path!("/equity/rounds/:id") view=pages::equity::RoundPage ssr=SsrMode::Async />
                        <Route
                            path=path!("/carriers/:id/portfolio")
                            view=pages::portfolio::PortfolioPage
                            ssr=SsrMode::Async
                        />
                        <Route path=path!("/portfolio") view=pages::portfolio::CityPortfolioPage ssr=SsrMode::Async />
                        <Route path=path!("/dashboard") view=pages::dashboard::DashboardPage ssr=SsrMode::Async />
                        <Route path=path!("/dashboard/targets") view=pages::dashboard::TargetsPage ssr=SsrMode::Async />
                        <Route path=path!("/readiness") view=pages::readiness::ReadinessIndexPage ssr=SsrMode::Async />
                        <Route path=path!("/readiness/:id") view=pages::readiness::RuleSetPage ssr=SsrMode::Async />
                        <Route
                            path=path!("/carriers/:id/readiness")
                            view=pages::readiness::ChecklistPage
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("/carriers/:id/annual")
                            view=pages::readiness::AnnualReturnPage
                            ssr=SsrMode::Async
                        />
                        <Route path=path!("/startups/:id/apply") view=pages::applications::ApplyPage ssr=SsrMode::Async />
                        <Route path=path!("/applications") view=pages::applications::ApplicationsPage ssr=SsrMode::Async />
                        <Route
                            path=path!("/applications/:id")
                            view=pages::applications::ApplicationPage
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("/applications/:id/admit")
                            view=pages::applications::AdmitPage
                            ssr=SsrMode::Async
                        />
                        <Route path=path!("/leases/:id") view=pages::leases::LeasePage ssr=SsrMode::Async />
                        <Route
                            path=path!("/carriers/:id/rent-roll")
                            view=pages::leases::RentRollPage
                            ssr=SsrMode::Async
                        />
                        <Route path=path!("/carriers/:id/tenants") view=pages::leases::TenantsPage ssr=SsrMode::Async />
                        <Route path=path!("/carriers/:id/spaces") view=pages::spaces::AreaPage ssr=SsrMode::Async />
                        <Route
                            path=path!("/carriers/:id/spaces/import")
                            view=pages::spaces::ImportPage
                            ssr=SsrMode::Async
                        />
                        <Route path=path!("/floors/:id") view=pages::spaces::FloorPage ssr=SsrMode::Async />
                        <Route path=path!("/units/:id/change") view=pages::spaces::ChangeUnitPage ssr=SsrMode::Async />
                        <Route path=path!("/imports/:id") view=pages::spaces::ImportReportPage ssr=SsrMode::Async />
                        <Route path=path!("/carriers") view=pages::carriers::CarrierList ssr=SsrMode::Async />
                        <Route path=path!("/carriers/new") view=pages::carriers::NewCarrier ssr=SsrMode::Async />
                        <Route path=path!("/carriers/:id") view=pages::carriers::CarrierDetail ssr=SsrMode::Async />
                        <Route
                            path=path!("/carriers/:id/edit")
                            view=pages::carriers::EditCarrier
                            ssr=SsrMode::Async
                        />
                    </Routes>
                </components::Layout>
            </Router>
        </i18n::I18nProvider>
    }
}
