//! The overview: how the city's registered carriers are distributed.

use crate::carriers::api;
use crate::components::{ErrorPage, Loading, loaded, use_current_user};
use crate::i18n::{self, PageTitle};
use domain::account::Role;
use domain::carrier::RegistrySummary;
use domain::format;
use leptos::prelude::*;
use leptos_fluent::tr;
use leptos_router::components::Redirect;

/// The home page: where each role starts. Bureau staff see the city's carriers; operators their
/// to-do list; a startup goes to its own page; an admin to the accounts; a visitor to sign in.
#[component]
pub fn Home() -> impl IntoView {
    let me = use_current_user();
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(Some(me)) if me.has(Role::Bureau) => view! { <Overview /> }.into_any(),
                    Ok(Some(me)) if me.has(Role::Operator) => {
                        view! { <crate::home::pages::OperatorHomePage /> }.into_any()
                    }
                    Ok(Some(me)) => {
                        let target = match me.startups().next() {
                            Some((id, _)) => format!("/startups/{id}"),
                            None if me.has(Role::Admin) => "/accounts".to_owned(),
                            None => "/account".to_owned(),
                        };
                        view! { <Redirect path=target /> }.into_any()
                    }
                    Ok(None) => view! { <Redirect path="/login" /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Overview() -> impl IntoView {
    let summary = Resource::new(|| (), |()| api::get_registry_summary());
    view! {
        <PageTitle text=|i18n| tr!(i18n, "overview-title") />
        <h1>{move || tr!("overview-title")}</h1>
        <p class="lead">{move || tr!("overview-lead")}</p>
        {loaded(summary, move |summary| view! { <SummaryView summary /> })}
        <crate::tenancy::leases::OccupancyPanel level="city" id=None on=None />
    }
}

#[component]
fn SummaryView(summary: RegistrySummary) -> impl IntoView {
    let RegistrySummary { total, by_kind, by_level, by_model, by_district } = summary;
    let count = |n: u64| format::integer(i64::try_from(n).unwrap_or(i64::MAX));
    view! {
        <section class="stat-cards" aria-label=move || tr!("overview-by-kind")>
            <a class="stat-card stat-card-total" href="/carriers">
                <span class="stat-label">{move || tr!("overview-total")}</span>
                <span class="stat-value" data-testid="total-carriers">{count(total)}</span>
            </a>
            {by_kind
                .into_iter()
                .map(|(kind, n)| {
                    view! {
                        <a class="stat-card" href=format!("/carriers?kind={}", kind.code())>
                            <span class="stat-label">{move || i18n::kind(kind)}</span>
                            <span class="stat-value">{count(n)}</span>
                        </a>
                    }
                })
                .collect_view()}
        </section>
        <div class="two-columns">
            <section>
                <h2>{move || tr!("overview-by-level")}</h2>
                <table class="data-table">
                    <tbody>
                        {by_level
                            .into_iter()
                            .map(|(level, n)| {
                                view! {
                                    <tr>
                                        <th scope="row">
                                            <a href=format!("/carriers?level={}", level.code())>
                                                {move || i18n::level(level)}
                                            </a>
                                        </th>
                                        <td class="number">{count(n)}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
                <h2>{move || tr!("overview-by-model")}</h2>
                <table class="data-table">
                    <tbody>
                        {by_model
                            .into_iter()
                            .map(|(model, n)| {
                                view! {
                                    <tr>
                                        <th scope="row">
                                            <a href=format!("/carriers?model={}", model.code())>
                                                {move || i18n::model(model)}
                                            </a>
                                        </th>
                                        <td class="number">{count(n)}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </section>
            <section>
                <h2>{move || tr!("overview-by-district")}</h2>
                <table class="data-table" data-testid="by-district">
                    <thead>
                        <tr>
                            <th scope="col">{move || tr!("overview-district")}</th>
                            <th scope="col" class="number">{move || tr!("overview-count")}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {by_district
                            .into_iter()
                            .map(|(district, n)| {
                                let href = format!("/carriers?district={}", district.id);
                                let name = district.clone();
                                view! {
                                    <tr>
                                        <th scope="row">
                                            <a href=href>{move || name.name(i18n::lang()).to_owned()}</a>
                                            " "
                                            <span class="muted">{move || i18n::district_kind(district.kind)}</span>
                                        </th>
                                        <td class="number">{count(n)}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </section>
        </div>
        <p>
            <a class="button" href="/carriers">{move || tr!("overview-see-registry")}</a>
        </p>
    }
}
