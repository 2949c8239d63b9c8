//! The matrix of the plain HTTP routes: method, path, and the status each kind of user gets.

use super::world::World;

/// Routes outside the server functions: method, path, and the status each caller gets.
pub(super) fn routes(w: &World) -> Vec<(&'static str, String, [u16; 7])> {
    let own_carrier = [401, 403, 403, 200, 403, 200, 403];
    vec![
        ("GET", "/healthz".into(), [200; 7]),
        ("GET", "/lang/en?next=/".into(), [303; 7]),
        ("GET", "/lang/xx".into(), [404; 7]),
        ("GET", format!("/carriers/{}/units.csv", w.carrier_x), own_carrier),
        ("GET", format!("/carriers/{}/units.xlsx", w.carrier_x), own_carrier),
        ("POST", format!("/carriers/{}/units/import", w.carrier_x), [401, 403, 403, 303, 403, 403, 403]),
        // The business plan: those who may read the application download it...
        ("GET", format!("/documents/{}", w.document_a), [401, 200, 403, 200, 403, 200, 403]),
        // ...and only the applicant uploads one, before the review starts.
        ("POST", format!("/applications/{}/document", w.application_move), [401, 303, 403, 403, 403, 403, 403]),
        // The cap table as OCF: whoever reads the cap table.
        ("GET", format!("/startups/{}/ocf.zip", w.startup_a), [401, 200, 403, 200, 403, 200, 403]),
        // The dashboard's tables: the bureau's; the annual statistics of one carrier: its own.
        ("GET", "/dashboard/export/districts.csv".into(), [401, 403, 403, 403, 403, 200, 403]),
        ("GET", format!("/reports/torch.xlsx?carrier={}", w.carrier_x), own_carrier),
        ("GET", "/reports/torch.csv".into(), [401, 403, 403, 403, 403, 200, 403]),
    ]
}
