//! What every feature's pages share: route and query parameters, action errors, the day picker.

use crate::error::AppError;
use chrono::NaiveDate;
use domain::FieldErrors;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_fluent::tr;
use leptos_router::components::Form;
use leptos_router::hooks::{use_params_map, use_query_map};

pub(crate) fn id_param<T>(name: &'static str) -> Memo<Option<T>>
where
    T: std::str::FromStr + Clone + PartialEq + Send + Sync + 'static,
{
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get_str(name).and_then(|v| v.parse().ok())))
}

/// The `?on=YYYY-MM-DD` of the URL: the day the page shows.
pub(crate) fn on_param() -> Memo<Option<NaiveDate>> {
    let query = use_query_map();
    Memo::new(move |_| query.with(|q| q.get_str("on").and_then(|v| domain::time::parse_date(v).ok())))
}

pub(crate) use domain::time::today;

/// Field errors carried back by a failed action.
pub(crate) fn action_errors<S>(action: ServerAction<S>) -> Signal<FieldErrors>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
{
    Signal::derive(move || {
        action
            .value()
            .with(|v| v.as_ref().and_then(|r| r.as_ref().err()).and_then(AppError::field_errors).cloned())
            .unwrap_or_default()
    })
}

pub(crate) fn action_failure<S>(action: ServerAction<S>) -> Signal<Option<AppError>>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
{
    Signal::derive(move || {
        action.value().with(|v| match v {
            Some(Err(AppError::Invalid { .. })) | Some(Ok(_)) | None => None,
            Some(Err(error)) => Some(error.clone()),
        })
    })
}

/// Picks the day a page shows; without JavaScript it is a plain GET form.
#[component]
pub(crate) fn DayPicker(on: NaiveDate, action: String) -> impl IntoView {
    view! {
        <Form method="GET" action=action>
            <div class="day-picker">
                <label for="on">{move || tr!("spaces-on-day")}</label>
                <input id="on" type="date" name="on" value=on.format("%Y-%m-%d").to_string() />
                <button type="submit" class="button">{move || tr!("spaces-show")}</button>
            </div>
        </Form>
    }
}
