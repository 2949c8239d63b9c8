//! Charts drawn on the server as SVG: readable without JavaScript, printable, and each with its
//! numbers in a table beside it for screen readers.

use domain::{Area, Lang, format};
use leptos::prelude::*;

const WIDTH: i64 = 640;
const HEIGHT: i64 = 220;
const LEFT: i64 = 64;
const RIGHT: i64 = 16;
const TOP: i64 = 16;
const BOTTOM: i64 = 36;

/// A target drawn across an [`AreaChart`]: a level line with its label, and its deadline marked
/// on the period it falls in, when that period is on the chart.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartGoal {
    pub label: String,
    pub area: Area,
    /// The index of the point whose period holds the deadline.
    pub deadline_at: Option<usize>,
}

/// A step line of area over time: one point per labelled period, with the targets as lines.
#[component]
pub fn AreaChart(
    /// `(period label, area)`, oldest first.
    points: Vec<(String, Area)>,
    /// Targets to draw across the chart; the scale reaches the highest of them.
    #[prop(optional)]
    goals: Vec<ChartGoal>,
    /// What the chart shows, for its title and table caption.
    title: String,
    /// The header of the table's first column.
    period_header: String,
    /// The header of the table's value column.
    value_header: String,
    lang: Lang,
) -> impl IntoView {
    let max = points
        .iter()
        .map(|(_, a)| a.hundredths())
        .chain(goals.iter().map(|g| g.area.hundredths()))
        .max()
        .unwrap_or(0)
        .max(1);
    let count = i64::try_from(points.len()).unwrap_or(1).max(2);
    let plot_width = WIDTH - LEFT - RIGHT;
    let plot_height = HEIGHT - TOP - BOTTOM;
    let x = |i: usize| LEFT + i64::try_from(i).unwrap_or(0) * plot_width / (count - 1);
    let y = |hundredths: i64| TOP + plot_height - hundredths * plot_height / max;

    // A step line: the area holds until the next month's figure.
    let mut path = String::new();
    for (i, (_, area)) in points.iter().enumerate() {
        let (px, py) = (x(i), y(area.hundredths()));
        if i == 0 {
            path.push_str(&format!("M{px},{py}"));
        } else {
            path.push_str(&format!(" H{px} V{py}"));
        }
    }
    let label_every = points.len().div_ceil(6).max(1);
    let labels: Vec<(i64, String)> = points
        .iter()
        .enumerate()
        .filter(|(i, _)| i % label_every == 0 || *i + 1 == points.len())
        .map(|(i, (label, _))| (x(i), label.clone()))
        .collect();
    let top_label = format::area(Area::from_hundredths(max)).render(&texts::Fluent(lang));
    let rows = points.clone();
    view! {
        <figure class="chart">
            <svg
                viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                role="img"
                aria-label=title.clone()
                xmlns="http://www.w3.org/2000/svg"
            >
                <title>{title.clone()}</title>
                <line class="axis" x1=LEFT y1=TOP + plot_height x2=WIDTH - RIGHT y2=TOP + plot_height />
                <line class="axis" x1=LEFT y1=TOP x2=LEFT y2=TOP + plot_height />
                <line class="grid" x1=LEFT y1=TOP x2=WIDTH - RIGHT y2=TOP />
                <text class="tick" x=LEFT - 6 y=TOP + 4 text-anchor="end">{top_label}</text>
                <text class="tick" x=LEFT - 6 y=TOP + plot_height + 4 text-anchor="end">"0"</text>
                <path class="series" d=path />
                {goals
                    .iter()
                    .map(|g| {
                        let gy = y(g.area.hundredths());
                        let deadline = g.deadline_at.map(|i| {
                            view! { <line class="deadline" x1=x(i) y1=TOP x2=x(i) y2=TOP + plot_height /> }
                        });
                        view! {
                            <line class="goal" x1=LEFT y1=gy x2=WIDTH - RIGHT y2=gy />
                            <text class="goal-label" x=WIDTH - RIGHT y=gy - 4 text-anchor="end">{g.label.clone()}</text>
                            {deadline}
                        }
                    })
                    .collect_view()}
                {labels
                    .into_iter()
                    .map(|(px, label)| {
                        view! {
                            <text class="tick" x=px y=HEIGHT - 12 text-anchor="middle">
                                {label}
                            </text>
                        }
                    })
                    .collect_view()}
            </svg>
            {(!goals.is_empty()).then(|| {
                let legend = goals.clone();
                view! {
                    <ul class="chart-goals" data-testid="chart-goals">
                        {legend
                            .into_iter()
                            .map(|g| view! { <li>{g.label} " · " {format::area(g.area).render(&texts::Fluent(lang))}</li> })
                            .collect_view()}
                    </ul>
                }
            })}
            <details class="chart-data">
                <summary>{title.clone()}</summary>
                <table class="data-table">
                    <caption>{title}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{period_header}</th>
                            <th scope="col" class="number">{value_header}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows
                            .into_iter()
                            .map(|(label, area)| {
                                view! {
                                    <tr>
                                        <th scope="row">{label}</th>
                                        <td class="number">{format::area(area).render(&texts::Fluent(lang))}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </details>
        </figure>
    }
}

/// Bars of a signed area per period (net additions): above the axis for growth, below it for
/// shrinkage. The numbers are the table beside it.
#[component]
pub fn BarChart(
    /// `(period label, area)`, oldest first.
    bars: Vec<(String, Area)>,
    title: String,
) -> impl IntoView {
    let top = bars.iter().map(|(_, a)| a.hundredths()).max().unwrap_or(0).max(0);
    let bottom = bars.iter().map(|(_, a)| a.hundredths()).min().unwrap_or(0).min(0);
    let span = (top - bottom).max(1);
    let plot_width = WIDTH - LEFT - RIGHT;
    let plot_height = HEIGHT - TOP - BOTTOM;
    let y = |hundredths: i64| TOP + (top - hundredths) * plot_height / span;
    let count = i64::try_from(bars.len()).unwrap_or(1).max(1);
    let slot = plot_width / count;
    let zero = y(0);
    let shapes: Vec<(i64, i64, i64, bool, String)> = bars
        .iter()
        .enumerate()
        .map(|(i, (label, area))| {
            let x = LEFT + i64::try_from(i).unwrap_or(0) * slot + slot / 6;
            let end = y(area.hundredths());
            let (from, height) = if end < zero { (end, zero - end) } else { (zero, end - zero) };
            (x, from, height.max(1), area.hundredths() < 0, label.clone())
        })
        .collect();
    let width = (slot * 2 / 3).max(1);
    view! {
        <figure class="chart">
            <svg
                viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                role="img"
                aria-label=title.clone()
                xmlns="http://www.w3.org/2000/svg"
            >
                <title>{title.clone()}</title>
                <text class="tick" x=LEFT - 6 y=TOP + 4 text-anchor="end">{format::two_decimals(top)}</text>
                <text class="tick" x=LEFT - 6 y=TOP + plot_height + 4 text-anchor="end">{format::two_decimals(bottom)}</text>
                <line class="axis" x1=LEFT y1=zero x2=WIDTH - RIGHT y2=zero />
                {shapes
                    .into_iter()
                    .map(|(x, from, height, negative, label)| {
                        view! {
                            <rect class="bar" class:negative=negative x=x y=from width=width height=height />
                            <text class="tick" x=x + width / 2 y=HEIGHT - 12 text-anchor="middle">{label}</text>
                        }
                    })
                    .collect_view()}
            </svg>
        </figure>
    }
}
