#![recursion_limit = "256"]
//! Fuhua's user interface: pages rendered on the server, then hydrated in the browser. Every page
//! works before the WebAssembly has loaded: links are links and forms post.

pub mod accounts;
pub mod api;
pub mod audit;
pub mod carriers;
pub mod catalogue;
mod components;
pub use components::url_encode;
pub mod dashboard;
pub mod equity;
pub mod error;
pub mod home;
pub mod i18n;
mod overview;
mod pages;
pub mod readiness;
pub mod spaces;
pub mod tenancy;

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
                        <Route path=path!("/") view=overview::Home ssr=SsrMode::Async />
                        <Route path=path!("/space") view=catalogue::pages::CataloguePage ssr=SsrMode::Async />
                        <Route path=path!("/login") view=accounts::auth::LoginPage ssr=SsrMode::Async />
                        <Route path=path!("/register") view=accounts::auth::RegisterPage ssr=SsrMode::Async />
                        <Route path=path!("/invite/:token") view=accounts::auth::InvitePage ssr=SsrMode::Async />
                        <Route path=path!("/reset/:token") view=accounts::auth::ResetPage ssr=SsrMode::Async />
                        <Route path=path!("/account") view=accounts::auth::AccountPage ssr=SsrMode::Async />
                        <Route path=path!("/accounts") view=accounts::pages::AccountsPage ssr=SsrMode::Async />
                        <Route path=path!("/audit") view=audit::pages::AuditPage ssr=SsrMode::Async />
                        <Route path=path!("/startups/:id") view=tenancy::startups::StartupPage ssr=SsrMode::Async />
                        <Route
                            path=path!("/startups/:id/edit")
                            view=tenancy::startups::EditStartupPage
                            ssr=SsrMode::Async
                        />
                        <Route path=path!("/startups/:id/equity") view=equity::pages::CapTablePage ssr=SsrMode::Async />
                        <Route
                            path=path!("/startups/:id/equity/new")
                            view=equity::pages::RecordEventPage
                            ssr=SsrMode::Async
                        />
                        <Route path=path!("/equity/rounds/:id") view=equity::pages::RoundPage ssr=SsrMode::Async />
                        <Route
                            path=path!("/carriers/:id/portfolio")
                            view=equity::portfolio::PortfolioPage
                            ssr=SsrMode::Async
                        />
                        <Route path=path!("/portfolio") view=equity::portfolio::CityPortfolioPage ssr=SsrMode::Async />
                        <Route path=path!("/dashboard") view=dashboard::pages::DashboardPage ssr=SsrMode::Async />
                        <Route path=path!("/dashboard/targets") view=dashboard::pages::TargetsPage ssr=SsrMode::Async />
                        <Route path=path!("/dashboard/targets/:id") view=dashboard::pages::EditTargetPage ssr=SsrMode::Async />
                        <Route path=path!("/readiness") view=readiness::pages::ReadinessIndexPage ssr=SsrMode::Async />
                        <Route path=path!("/readiness/:id") view=readiness::pages::RuleSetPage ssr=SsrMode::Async />
                        <Route
                            path=path!("/carriers/:id/readiness")
                            view=readiness::pages::ChecklistPage
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("/carriers/:id/annual")
                            view=readiness::pages::AnnualReturnPage
                            ssr=SsrMode::Async
                        />
                        <Route path=path!("/startups/:id/apply") view=tenancy::applications::ApplyPage ssr=SsrMode::Async />
                        <Route path=path!("/applications") view=tenancy::applications::ApplicationsPage ssr=SsrMode::Async />
                        <Route
                            path=path!("/applications/:id")
                            view=tenancy::applications::ApplicationPage
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("/applications/:id/admit")
                            view=tenancy::applications::AdmitPage
                            ssr=SsrMode::Async
                        />
                        <Route path=path!("/leases/:id") view=tenancy::leases::LeasePage ssr=SsrMode::Async />
                        <Route
                            path=path!("/carriers/:id/rent-roll")
                            view=tenancy::leases::RentRollPage
                            ssr=SsrMode::Async
                        />
                        <Route path=path!("/carriers/:id/tenants") view=tenancy::leases::TenantsPage ssr=SsrMode::Async />
                        <Route path=path!("/carriers/:id/spaces") view=spaces::pages::AreaPage ssr=SsrMode::Async />
                        <Route
                            path=path!("/carriers/:id/spaces/import")
                            view=spaces::pages::ImportPage
                            ssr=SsrMode::Async
                        />
                        <Route path=path!("/floors/:id") view=spaces::pages::FloorPage ssr=SsrMode::Async />
                        <Route path=path!("/units/:id/change") view=spaces::pages::ChangeUnitPage ssr=SsrMode::Async />
                        <Route path=path!("/imports/:id") view=spaces::pages::ImportReportPage ssr=SsrMode::Async />
                        <Route path=path!("/carriers") view=carriers::CarrierList ssr=SsrMode::Async />
                        <Route path=path!("/carriers/new") view=carriers::NewCarrier ssr=SsrMode::Async />
                        <Route path=path!("/carriers/:id") view=carriers::CarrierDetail ssr=SsrMode::Async />
                        <Route
                            path=path!("/carriers/:id/edit")
                            view=carriers::EditCarrier
                            ssr=SsrMode::Async
                        />
                    </Routes>
                </components::Layout>
            </Router>
        </i18n::I18nProvider>
    }
}
