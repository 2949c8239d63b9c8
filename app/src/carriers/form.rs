//! Registering and editing a carrier. One set of fields serves both; validation runs in the
//! browser first and again on the server, with the same code (`CarrierForm::parse`).

use super::api::{self, CreateCarrier, UpdateCarrier};
use super::detail::carrier_id_param;
use crate::components::{
    CheckedForm, ErrorNotice, ErrorPage, FieldProblems, Loading, SelectField, TextField, coded_options as options,
    invalid,
};
use crate::error::AppError;
use crate::i18n::{self, PageTitle};
use domain::FieldErrors;
use domain::carrier::{CarrierForm, CarrierKind, Industry, Level, OperatingModel, field};
use domain::district::DistrictView;
use domain::time::today;
use leptos::prelude::*;
use leptos_fluent::tr;

fn check_create(input: &CreateCarrier) -> Option<FieldErrors> {
    input.form.parse(today()).err()
}

fn check_update(input: &UpdateCarrier) -> Option<FieldErrors> {
    input.form.parse(today()).err()
}

/// The field errors to show: the browser's own, else the server's answer.
fn shown_errors<S>(local: RwSignal<FieldErrors>, action: ServerAction<S>) -> Signal<FieldErrors>
where
    S: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
{
    Signal::derive(move || {
        let local = local.get();
        if !local.is_empty() {
            return local;
        }
        action
            .value()
            .with(|value| value.as_ref().and_then(|r| r.as_ref().err()).and_then(AppError::field_errors).cloned())
            .unwrap_or_default()
    })
}

/// A failure that is not about one field (the record changed, the server failed…).
fn request_error<S>(action: ServerAction<S>) -> Signal<Option<AppError>>
where
    S: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
{
    Signal::derive(move || {
        action.value().with(|value| match value {
            Some(Err(AppError::Invalid { .. })) | Some(Ok(_)) | None => None,
            Some(Err(error)) => Some(error.clone()),
        })
    })
}

/// The form as the user last submitted it, when the server sent it back (no-JavaScript posts).
fn echoed<S>(action: ServerAction<S>) -> Option<CarrierForm>
where
    S: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
{
    action.value().with_untracked(|value| value.as_ref().and_then(|r| r.as_ref().err()).and_then(AppError::echo))
}

#[component]
pub fn NewCarrier() -> impl IntoView {
    let action = ServerAction::<CreateCarrier>::new();
    let local_errors = RwSignal::new(FieldErrors::new());
    let errors = shown_errors(local_errors, action);
    let districts = Resource::new(|| (), |()| api::list_districts());
    view! {
        <PageTitle text=|i18n| tr!(i18n, "carrier-new-title") />
        <p class="breadcrumb">
            <a href="/carriers">{move || tr!("carrier-back")}</a>
        </p>
        <h1>{move || tr!("carrier-new-title")}</h1>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match districts.await {
                    Ok(districts) => {
                        let initial = echoed(action).unwrap_or_default();
                        view! {
                            <CheckedForm action check=check_create local_errors>
                                <FormStatus errors failure=request_error(action) />
                                <CarrierFields initial districts errors editing=false />
                                <FormButtons pending=action.pending() cancel="/carriers".to_owned() />
                            </CheckedForm>
                        }
                            .into_any()
                    }
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn EditCarrier() -> impl IntoView {
    let id = carrier_id_param();
    let action = ServerAction::<UpdateCarrier>::new();
    let local_errors = RwSignal::new(FieldErrors::new());
    let errors = shown_errors(local_errors, action);
    let districts = Resource::new(|| (), |()| api::list_districts());
    let carrier = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => api::get_carrier(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <PageTitle text=|i18n| tr!(i18n, "carrier-edit-title") />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match (carrier.await, districts.await) {
                    (Ok(carrier), Ok(districts)) => {
                        let initial = echoed(action).unwrap_or_else(|| CarrierForm::from(&carrier.data));
                        let back = format!("/carriers/{}", carrier.id);
                        view! {
                            <p class="breadcrumb">
                                <a href=back.clone()>{carrier.data.name.clone()}</a>
                            </p>
                            <h1>{move || tr!("carrier-edit-title")}</h1>
                            <CheckedForm action check=check_update local_errors>
                                <input type="hidden" name="id" value=carrier.id.to_string() />
                                <input type="hidden" name="version" value=carrier.version.to_string() />
                                <FormStatus errors failure=request_error(action) />
                                <CarrierFields initial districts errors editing=true />
                                <FormButtons pending=action.pending() cancel=back />
                            </CheckedForm>
                        }
                            .into_any()
                    }
                    (Err(error), _) | (_, Err(error)) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The summary above the form: how many problems, or why the request failed.
#[component]
fn FormStatus(errors: Signal<FieldErrors>, failure: Signal<Option<AppError>>) -> impl IntoView {
    view! {
        {move || failure.get().map(|error| view! { <ErrorNotice error /> })}
        {move || {
            let count = errors.with(FieldErrors::len);
            (count > 0)
                .then(|| {
                    view! {
                        <div class="notice notice-error" role="alert" data-testid="form-errors">
                            {move || tr!("carrier-form-errors", { "count" => i64::try_from(count).unwrap_or(0) })}
                        </div>
                    }
                })
        }}
    }
}

#[component]
fn FormButtons(pending: Memo<bool>, cancel: String) -> impl IntoView {
    view! {
        <div class="form-buttons">
            <button type="submit" class="button button-primary" disabled=move || pending.get()>
                {move || if pending.get() { tr!("carrier-saving") } else { tr!("carrier-save") }}
            </button>
            <a href=cancel>{move || tr!("carrier-cancel")}</a>
        </div>
    }
}

/// Every field of the carrier form, pre-filled with `initial`.
#[component]
fn CarrierFields(
    initial: CarrierForm,
    districts: Vec<DistrictView>,
    errors: Signal<FieldErrors>,
    /// Editing a registered carrier: the dated attributes' change takes a day.
    editing: bool,
) -> impl IntoView {
    let district_options = districts
        .into_iter()
        .map(|d| (d.id.to_string(), Signal::derive(move || d.name(i18n::lang()).to_owned())))
        .collect();
    let kind_options = options(CarrierKind::ALL, CarrierKind::code, i18n::kind);
    let level_options = options(Level::ALL, Level::code, i18n::level);
    let model_options = options(OperatingModel::ALL, OperatingModel::code, i18n::model);
    let CarrierForm {
        name,
        kind,
        level,
        level_year,
        district_id,
        operator_org,
        operating_model,
        address,
        opened_on,
        industries,
        contact_name,
        contact_phone,
        contact_email,
        specialised,
        relaxed,
        effective_on,
    } = initial;
    view! {
        <fieldset class="form-section">
            <legend>{move || tr!("carrier-section-basic")}</legend>
            <TextField field=field::NAME label=|| tr!("field-name") value=name errors />
            <SelectField field=field::KIND label=|| tr!("field-kind") options=kind_options selected=kind errors />
            <SelectField
                field=field::DISTRICT
                label=|| tr!("field-district")
                options=district_options
                selected=district_id
                errors
            />
            <TextField field=field::ADDRESS label=|| tr!("field-address") value=address errors />
            <TextField
                field=field::OPENED_ON
                label=|| tr!("field-opened-on")
                value=opened_on
                errors
                input_type="date"
            />
            <div class="field-row">
                <SelectField field=field::LEVEL label=|| tr!("field-level") options=level_options selected=level errors />
                <TextField
                    field=field::LEVEL_YEAR
                    label=|| tr!("field-level-year")
                    value=level_year
                    errors
                    input_type="number"
                    hint=|| tr!("field-level-year-hint")
                />
            </div>
        </fieldset>
        <fieldset class="form-section">
            <legend>{move || tr!("carrier-section-operation")}</legend>
            <TextField field=field::OPERATOR_ORG label=|| tr!("field-operator-org") value=operator_org errors />
            <SelectField
                field=field::MODEL
                label=|| tr!("field-model")
                options=model_options
                selected=operating_model
                errors
            />
            <IndustryChoices chosen=industries errors />
            <label class="choice">
                <input
                    type="checkbox"
                    name=format!("form[{}]", field::SPECIALISED)
                    value="on"
                    checked=!specialised.is_empty()
                />
                <span>{move || tr!("field-specialised")}</span>
            </label>
            <label class="choice">
                <input type="checkbox" name=format!("form[{}]", field::RELAXED) value="on" checked=!relaxed.is_empty() />
                <span>{move || tr!("field-relaxed")}</span>
            </label>
        </fieldset>
        {editing
            .then(|| {
                view! {
                    <fieldset class="form-section">
                        <legend>{move || tr!("carrier-section-effective")}</legend>
                        <TextField
                            field=field::EFFECTIVE_ON
                            label=|| tr!("field-effective-on")
                            value=effective_on
                            errors
                            input_type="date"
                            optional=true
                            hint=|| tr!("field-effective-on-hint")
                        />
                    </fieldset>
                }
            })}
        <fieldset class="form-section">
            <legend>{move || tr!("carrier-section-contact")}</legend>
            <TextField field=field::CONTACT_NAME label=|| tr!("field-contact-name") value=contact_name errors />
            <TextField
                field=field::CONTACT_PHONE
                label=|| tr!("field-contact-phone")
                value=contact_phone
                errors
                input_type="tel"
                hint=|| tr!("field-contact-phone-hint")
            />
            <TextField
                field=field::CONTACT_EMAIL
                label=|| tr!("field-contact-email")
                value=contact_email
                errors
                input_type="email"
                optional=true
            />
        </fieldset>
    }
}

/// One checkbox per industry. Each posts under its own index, `form[industries][i]`, so that the
/// ticked ones arrive as a list with or without JavaScript.
#[component]
fn IndustryChoices(chosen: Vec<String>, errors: Signal<FieldErrors>) -> impl IntoView {
    let invalid = invalid(errors, field::INDUSTRIES);
    view! {
        <fieldset
            class="field choices"
            class:field-invalid=invalid
            aria-describedby=format!("{}-hint {}-problems", field::INDUSTRIES, field::INDUSTRIES)
        >
            <legend>{move || tr!("field-industries")}</legend>
            <p class="hint" id=format!("{}-hint", field::INDUSTRIES)>
                {move || tr!("field-industries-hint")}
            </p>
            <div class="choice-grid">
                {Industry::ALL
                    .iter()
                    .enumerate()
                    .map(|(index, &industry)| {
                        let code = industry.code();
                        let checked = chosen.iter().any(|c| c == code);
                        view! {
                            <label class="choice">
                                <input
                                    type="checkbox"
                                    name=format!("form[{}][{index}]", field::INDUSTRIES)
                                    value=code
                                    checked=checked
                                />
                                <span>{move || i18n::industry(industry)}</span>
                            </label>
                        }
                    })
                    .collect_view()}
            </div>
            <FieldProblems field=field::INDUSTRIES errors />
        </fieldset>
    }
}
