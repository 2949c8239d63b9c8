//! The operator's home: for each carrier, what waits to be done, each item linking to where it
//! is done.

use super::api;
use crate::components::loaded;
use crate::i18n::{self, PageTitle};
use domain::format;
use domain::home::{CarrierWork, Failing, LeaseDue, OperatorHome};
use leptos::prelude::*;
use leptos_fluent::tr;

#[component]
pub fn OperatorHomePage() -> impl IntoView {
    let home = Resource::new(|| (), |()| api::get_operator_home());
    view! {
        <PageTitle text=|i18n| tr!(i18n, "home-title") />
        <h1>{move || tr!("home-title")}</h1>
        {loaded(home, move |home| view! { <HomeView home /> })}
    }
}

#[component]
fn HomeView(home: OperatorHome) -> impl IntoView {
    let OperatorHome { on, carriers } = home;
    let tasks: usize = carriers.iter().map(CarrierWork::tasks).sum();
    view! {
        <p class="lead" data-testid="home-summary">
            {move || tr!("home-lead", { "date" => i18n::date(on), "count" => tasks.to_string() })}
        </p>
        {carriers.is_empty().then(|| view! { <p class="empty">{move || tr!("home-no-carriers")}</p> })}
        <div class="work-cards">
            {carriers.into_iter().map(|work| view! { <WorkCard work /> }).collect_view()}
        </div>
    }
}

/// One section of a carrier's card: a heading with its count and a link to the whole list, then
/// the items (or a quiet "nothing").
#[component]
fn Section(
    title: fn() -> String,
    count: usize,
    href: String,
    all: fn() -> String,
    testid: &'static str,
    children: Children,
) -> impl IntoView {
    view! {
        <section class="work-section" data-testid=testid>
            <h3>
                {title} " " <span class="count" class:count-zero=count == 0>{count}</span>
                " " <a class="see-all" href=href>{all}</a>
            </h3>
            {if count == 0 {
                view! { <p class="muted">{move || tr!("home-nothing")}</p> }.into_any()
            } else {
                view! { <ul class="work-items">{children()}</ul> }.into_any()
            }}
        </section>
    }
}

/// A name in Chinese and in English.
type Names = (String, String);

/// The failing criteria under their rule set, each set named once (they come set by set).
fn by_rule_set(failing: Vec<Failing>) -> Vec<(String, String, Vec<Names>)> {
    let mut groups: Vec<(String, String, Vec<Names>)> = Vec::new();
    for f in failing {
        match groups.last_mut() {
            Some((zh, _, labels)) if *zh == f.rule_set_zh => labels.push((f.label_zh, f.label_en)),
            _ => groups.push((f.rule_set_zh, f.rule_set_en, vec![(f.label_zh, f.label_en)])),
        }
    }
    groups
}

fn lease_items(leases: Vec<LeaseDue>, label: fn(String) -> String) -> impl IntoView {
    leases
        .into_iter()
        .map(|l| {
            let units = l.units.join("、");
            let day = l.day;
            view! {
                <li>
                    <a href=format!("/leases/{}", l.lease)>{l.tenant.clone()}</a>
                    " · " <span class="nowrap">{units}</span> " · "
                    <span class="nowrap">{move || label(i18n::date(day))}</span>
                </li>
            }
        })
        .collect_view()
}

#[component]
fn WorkCard(work: CarrierWork) -> impl IntoView {
    let tasks = work.tasks();
    let CarrierWork {
        carrier,
        name,
        waiting,
        waiting_total,
        starting,
        ending,
        near_limit,
        units,
        units_vacant,
        area,
        area_vacant,
        failing,
        return_due,
    } = work;
    let count = |n: i64| format::integer(n);
    view! {
        <article class="work-card" data-testid="work-card">
            <header>
                <h2><a href=format!("/carriers/{carrier}")>{name}</a></h2>
                <span class="badge" data-testid="task-count">
                    {move || tr!("home-tasks", { "count" => tasks.to_string() })}
                </span>
            </header>
            <p class="vacancy-line" data-testid="vacancy">
                <a href=format!("/carriers/{carrier}/spaces")>
                    {move || tr!("home-vacancy", { "vacant" => count(units_vacant), "units" => count(units) })}
                    " · "
                    <span class="nowrap">{move || i18n::area(area_vacant)}</span>
                    " / "
                    <span class="nowrap">{move || i18n::area(area)}</span>
                </a>
            </p>
            <Section
                title=|| tr!("home-waiting")
                count=usize::try_from(waiting_total).unwrap_or(usize::MAX)
                href=crate::tenancy::applications::queue_href(carrier)
                all=|| tr!("home-see-applications")
                testid="waiting"
            >
                {waiting
                    .into_iter()
                    .map(|w| {
                        let days = w.days;
                        let overdue = days > 14;
                        let state = w.state;
                        view! {
                            <li>
                                <a href=format!("/applications/{}", w.application)>{w.startup.clone()}</a>
                                " · " {move || i18n::application_state(state)} " · "
                                <span class="nowrap" class:overdue=overdue>
                                    {move || tr!("home-waiting-days", { "days" => days.to_string() })}
                                </span>
                            </li>
                        }
                    })
                    .collect_view()}
            </Section>
            <Section
                title=|| tr!("home-starting")
                count=starting.len()
                href=format!("/carriers/{carrier}/rent-roll")
                all=|| tr!("home-see-rent-roll")
                testid="starting"
            >
                {lease_items(starting, |day| tr!("home-starts-on", { "date" => day }))}
            </Section>
            <Section
                title=|| tr!("home-ending")
                count=ending.len()
                href=format!("/carriers/{carrier}/rent-roll")
                all=|| tr!("home-see-rent-roll")
                testid="ending"
            >
                {lease_items(ending, |day| tr!("home-ends-on", { "date" => day }))}
            </Section>
            <Section
                title=|| tr!("home-near-limit")
                count=near_limit.len()
                href=format!("/carriers/{carrier}/tenants")
                all=|| tr!("home-see-tenants")
                testid="near-limit"
            >
                {near_limit
                    .into_iter()
                    .map(|t| {
                        let months = t.months;
                        let past = t.past_limit;
                        view! {
                            <li>
                                <a href=format!("/startups/{}", t.startup)>{t.name.clone()}</a>
                                " · "
                                <span class:overdue=past>
                                    {move || {
                                        if past {
                                            tr!("home-past-limit", { "months" => months.to_string() })
                                        } else {
                                            tr!("home-months", { "months" => months.to_string() })
                                        }
                                    }}
                                </span>
                            </li>
                        }
                    })
                    .collect_view()}
            </Section>
            <Section
                title=|| tr!("home-failing")
                count=failing.len()
                href=format!("/carriers/{carrier}/readiness")
                all=|| tr!("home-see-readiness")
                testid="failing"
            >
                {by_rule_set(failing)
                    .into_iter()
                    .map(|(set_zh, set_en, labels)| {
                        view! {
                            <li>
                                <a href=format!("/carriers/{carrier}/readiness")>
                                    {move || i18n::names(&set_zh, &set_en)}
                                </a>
                                <ul>
                                    {labels
                                        .into_iter()
                                        .map(|(zh, en)| view! { <li>{move || i18n::names(&zh, &en)}</li> })
                                        .collect_view()}
                                </ul>
                            </li>
                        }
                    })
                    .collect_view()}
            </Section>
            <Section
                title=|| tr!("home-returns")
                count=usize::from(return_due.is_some())
                href=format!("/carriers/{carrier}/annual")
                all=|| tr!("home-see-annual")
                testid="returns"
            >
                {return_due.map(|year| view! {
                    <li>
                        <a href=format!("/carriers/{carrier}/annual?year={year}")>
                            {move || tr!("home-return-due", { "year" => year.to_string() })}
                        </a>
                    </li>
                })}
            </Section>
            <p class="see-all">
                <a href=format!("/audit?carrier={carrier}")>{move || tr!("home-recent-changes")}</a>
            </p>
        </article>
    }
}
