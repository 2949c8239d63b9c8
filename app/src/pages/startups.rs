//! A startup's own page.

use crate::api;
use crate::components::{ErrorPage, Loading};
use crate::error::AppError;
use crate::i18n;
use domain::account::StartupView;
use domain::{StartupId, format};
use leptos::prelude::*;
use leptos_fluent::tr;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn StartupPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get_str("id").and_then(|id| id.parse::<StartupId>().ok())));
    let startup = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => api::get_startup(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match startup.await {
                    Ok(startup) => view! { <StartupDetail startup /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn StartupDetail(startup: StartupView) -> impl IntoView {
    let created = startup.created_at;
    view! {
        <Title text=startup.name.clone() />
        <h1>{startup.name.clone()}</h1>
        <dl class="facts">
            <dt>{move || tr!("startup-registered")}</dt>
            <dd>{move || format::date(domain::time::china_date(created), i18n::lang())}</dd>
            <dt>{move || tr!("startup-members")}</dt>
            <dd>
                <ul class="plain">
                    {startup
                        .members
                        .into_iter()
                        .map(|(name, email)| view! { <li>{name} " <" {email} ">"</li> })
                        .collect_view()}
                </ul>
            </dd>
        </dl>
    }
}
