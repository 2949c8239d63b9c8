//! Portfolios: a carrier's stakes in its tenants (landlord plus shareholder) and the city's.

use super::api;
use super::pages::{cost_text, percent, startup_label};
use crate::components::loaded;
use crate::error::AppError;
use crate::i18n::{self, PageTitle};
use crate::pages::{DayPicker, id_param, on_param};
use domain::Money;
use domain::equity::ledger::{CityPortfolio, PortfolioRow, PortfolioTotals, PortfolioView, RoundStage};
use leptos::prelude::*;
use leptos_fluent::tr;
use leptos_meta::Title;

#[component]
pub fn PortfolioPage() -> impl IntoView {
    let id = id_param("id");
    let on = on_param();
    let portfolio = Resource::new(
        move || (id.get(), on.get()),
        |(id, on)| async move { api::get_portfolio(id.ok_or(AppError::NotFound)?, on).await },
    );
    view! {
        <PageTitle text=|i18n| tr!(i18n, "portfolio-title") />
        {loaded(portfolio, move |portfolio| view! { <PortfolioDetail portfolio /> })}
    }
}

fn multiple_text(row: &PortfolioRow) -> String {
    row.multiple().map_or_else(|| "—".to_owned(), |m| format!("{}×", m.decimal(2)))
}

#[component]
fn PortfolioDetail(portfolio: PortfolioView) -> impl IntoView {
    let PortfolioView { carrier, carrier_name, on, rows, total, by_industry, by_round } = portfolio;
    view! {
        <Title text=carrier_name.clone() />
        <p class="breadcrumb"><a href=format!("/carriers/{carrier}")>{carrier_name.clone()}</a></p>
        <h1>{carrier_name.clone()} " · " {move || tr!("portfolio-title")}</h1>
        <DayPicker on action=format!("/carriers/{carrier}/portfolio") />
        <TotalsCards totals=total.clone() />
        {if rows.is_empty() {
            view! { <p class="empty" data-testid="portfolio">{move || tr!("portfolio-empty")}</p> }.into_any()
        } else {
            view! {
                <table class="data-table" data-testid="portfolio">
                    <thead>
                        <tr>
                            <th scope="col">{startup_label}</th>
                            <th scope="col">{move || tr!("field-industry")}</th>
                            <th scope="col" class="num">{move || tr!("cap-table-subscribed")}</th>
                            <th scope="col" class="num">{move || tr!("cap-table-share")}</th>
                            <th scope="col">{move || tr!("cap-table-cost")}</th>
                            <th scope="col" class="num">{move || tr!("portfolio-initial")}</th>
                            <th scope="col" class="num">{move || tr!("portfolio-follow-on")}</th>
                            <th scope="col">{move || tr!("portfolio-latest-round")}</th>
                            <th scope="col" class="num">{move || tr!("portfolio-value")}</th>
                            <th scope="col" class="num">{move || tr!("portfolio-multiple")}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows
                            .into_iter()
                            .map(|r| {
                                let multiple = multiple_text(&r);
                                let (industry, latest, cost) = (r.industry, r.latest_round, r.cost);
                                view! {
                                    <tr data-startup=r.startup_name.clone()>
                                        <th scope="row"><a href=format!("/startups/{}/equity?on={}", r.startup, on)>{r.startup_name.clone()}</a></th>
                                        <td>{move || industry.map_or_else(|| "—".to_owned(), i18n::industry)}</td>
                                        <td class="num">{r.capital.display()}</td>
                                        <td class="num">{percent(r.ownership)}</td>
                                        <td>{move || cost_text(cost)}</td>
                                        <td class="num">{r.initial.display()}</td>
                                        <td class="num" data-testid="follow-on">{r.follow_on.display()}</td>
                                        <td>
                                            {move || latest.map_or_else(
                                                || "—".to_owned(),
                                                |(stage, date)| format!("{} · {}", i18n::round_stage(stage), i18n::date(date)),
                                            )}
                                        </td>
                                        <td class="num">{r.implied_value.map_or_else(|| "—".to_owned(), Money::display)}</td>
                                        <td class="num">{multiple}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            }
            .into_any()
        }}
        <h2>{move || tr!("portfolio-by-industry")}</h2>
        <TotalsTable groups=by_industry label=|key| domain::carrier::Industry::from_code(key).map_or_else(|| tr!("portfolio-unknown"), i18n::industry) testid="by-industry" />
        <h2>{move || tr!("portfolio-by-round")}</h2>
        <TotalsTable groups=by_round label=|key| RoundStage::from_code(key).map_or_else(|| tr!("portfolio-no-round"), i18n::round_stage) testid="by-round" />
    }
}

#[component]
fn TotalsCards(totals: PortfolioTotals) -> impl IntoView {
    let t = totals;
    view! {
        <section class="cards" data-testid="portfolio-totals">
            <div class="card">
                <p class="card-label">{move || tr!("portfolio-holdings")}</p>
                <p class="card-value">{t.holdings}</p>
            </div>
            <div class="card">
                <p class="card-label">{move || tr!("portfolio-cost")}</p>
                <p class="card-value">{t.cost.total().display()}</p>
                <p class="card-note">{move || cost_text(t.cost)}</p>
            </div>
            <div class="card">
                <p class="card-label">{move || tr!("portfolio-follow-on")}</p>
                <p class="card-value" data-testid="total-follow-on">{t.follow_on.display()}</p>
                <p class="card-note">{move || tr!("portfolio-initial-note", { "initial" => t.initial.display() })}</p>
            </div>
            <div class="card">
                <p class="card-label">{move || tr!("portfolio-value")}</p>
                <p class="card-value">{t.implied_value.display()}</p>
            </div>
        </section>
    }
}

#[component]
fn TotalsTable(groups: Vec<PortfolioTotals>, label: fn(&str) -> String, testid: &'static str) -> impl IntoView {
    if groups.is_empty() {
        return view! { <p class="empty" data-testid=testid>{move || tr!("portfolio-empty")}</p> }.into_any();
    }
    view! {
        <table class="data-table" data-testid=testid>
            <thead>
                <tr>
                    <th scope="col"></th>
                    <th scope="col" class="num">{move || tr!("portfolio-holdings")}</th>
                    <th scope="col" class="num">{move || tr!("channel-cash")}</th>
                    <th scope="col" class="num">{move || tr!("channel-rent")}</th>
                    <th scope="col" class="num">{move || tr!("channel-services")}</th>
                    <th scope="col" class="num">{move || tr!("portfolio-follow-on")}</th>
                    <th scope="col" class="num">{move || tr!("portfolio-value")}</th>
                </tr>
            </thead>
            <tbody>
                {groups
                    .into_iter()
                    .map(|g| {
                        let key = g.key.clone();
                        view! {
                            <tr>
                                <th scope="row">{move || label(&key)}</th>
                                <TotalsCells totals=g />
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// The figures of one totals row: holdings, cost per channel, follow-on and implied value.
#[component]
fn TotalsCells(totals: PortfolioTotals) -> impl IntoView {
    let t = totals;
    view! {
        <td class="num">{t.holdings}</td>
        <td class="num">{t.cost.cash.display()}</td>
        <td class="num">{t.cost.rent.display()}</td>
        <td class="num">{t.cost.services.display()}</td>
        <td class="num">{t.follow_on.display()}</td>
        <td class="num">{t.implied_value.display()}</td>
    }
}

#[component]
pub fn CityPortfolioPage() -> impl IntoView {
    let on = on_param();
    let city = Resource::new(move || on.get(), api::get_city_portfolio);
    view! {
        <PageTitle text=|i18n| tr!(i18n, "city-portfolio-title") />
        {loaded(city, move |city| view! { <CityPortfolioDetail city /> })}
    }
}

#[component]
fn CityPortfolioDetail(city: CityPortfolio) -> impl IntoView {
    let CityPortfolio { on, districts, carriers, city } = city;
    let totals = city.clone();
    view! {
        <h1>{move || tr!("city-portfolio-title")}</h1>
        <DayPicker on action="/portfolio".to_owned() />
        <p>{move || tr!("city-portfolio-carriers", { "carriers" => carriers })}</p>
        <TotalsCards totals />
        <table class="data-table" data-testid="city-portfolio">
            <thead>
                <tr>
                    <th scope="col">{move || tr!("field-district")}</th>
                    <th scope="col" class="num">{move || tr!("city-portfolio-carrier-count")}</th>
                    <th scope="col" class="num">{move || tr!("portfolio-holdings")}</th>
                    <th scope="col" class="num">{move || tr!("channel-cash")}</th>
                    <th scope="col" class="num">{move || tr!("channel-rent")}</th>
                    <th scope="col" class="num">{move || tr!("channel-services")}</th>
                    <th scope="col" class="num">{move || tr!("portfolio-follow-on")}</th>
                    <th scope="col" class="num">{move || tr!("portfolio-value")}</th>
                </tr>
            </thead>
            <tbody>
                {districts
                    .into_iter()
                    .map(|d| {
                        let (zh, en) = (d.name_zh.clone(), d.name_en.clone());
                        let t = d.totals;
                        view! {
                            <tr>
                                <th scope="row">{move || if i18n::lang() == domain::Lang::En { en.clone() } else { zh.clone() }}</th>
                                <td class="num">{d.carriers}</td>
                                <TotalsCells totals=t />
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
            <tfoot>
                <tr>
                    <th scope="row">{move || tr!("city-portfolio-city")}</th>
                    <td class="num">{carriers}</td>
                    <TotalsCells totals=city />
                </tr>
            </tfoot>
        </table>
    }
}
