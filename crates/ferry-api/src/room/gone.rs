//! What a phone sees at an address that is not the room's (mistyped, or a room that
//! has been opened again): a page of its own in the phone's language, since the
//! room's scripts are served under the room's address only.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use ferry_core::Language;
use ferry_core::messages::text;

/// The phone's first language Ferry speaks, from its `Accept-Language`.
fn language(accept: Option<&str>) -> Language {
    accept
        .into_iter()
        .flat_map(|h| h.split(','))
        .filter_map(|part| Language::from_tag(part.split(';').next()?))
        .next()
        .unwrap_or_default()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A 404 page saying the room is closed or its address is not quite right.
pub fn page(accept_language: Option<&str>) -> Response {
    let lang = language(accept_language);
    let body = format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title></head><body><main><h1>{}</h1><p>{}</p></main></body></html>",
        lang.code(),
        escape(&text(lang, "room.title", &[])),
        escape(&text(lang, "room.title", &[])),
        escape(&text(lang, "room.gone", &[])),
    );
    let mut r = (StatusCode::NOT_FOUND, body).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_phones_language_is_picked_from_its_list() {
        assert_eq!(language(Some("nb-NO,nb;q=0.9,en;q=0.8")), Language::Nb);
        assert_eq!(language(Some("fr-FR, de;q=0.5")), Language::De);
        assert_eq!(language(Some("no")), Language::Nb);
        assert_eq!(language(Some("fr")), Language::En);
        assert_eq!(language(None), Language::En);
    }
}
