//! Property tests: no input, however odd, makes the catalogue reader panic, and
//! whatever it reads stays inside the documented scales.

use ferry_catalogue::recipe::parse_catalogue_value;
use ferry_catalogue::score::{MAX_FEATURE_LEVEL, MAX_STATUS_LEVEL, parse_feature, parse_status};
use ferry_catalogue::{Score, parse_catalogue};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

/// Strings like the ones maintainers type, plus anything at all.
fn score_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9]{1,3}",
        "(Yes|No|N/A|\\?|yes|no|n/a)( \\(OAuth\\)| \\(SAML\\)|, alpha|, stable)?",
        "[❶❷❸❹❌⛔💣🌈💚💛🍎]{1,3}",
        "[0-5], [a-z-]{0,20}",
        any::<String>(),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        score_text().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("name".to_owned()),
                    Just("features".to_owned()),
                    Just("status".to_owned()),
                    Just("sso".to_owned()),
                    Just("backups".to_owned()),
                    Just("image".to_owned()),
                    Just("versions".to_owned()),
                    Just("website".to_owned()),
                    "[a-z]{1,8}"
                ],
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn feature_scores_stay_on_the_scale(text in score_text()) {
        let f = parse_feature(Some(&Value::String(text.clone())));
        if let Score::Level(n) = f.score { prop_assert!(n <= MAX_FEATURE_LEVEL, "{text} → {n}"); }
        prop_assert_eq!(f.raw, text.trim());
        let s = parse_status(Some(&Value::String(text.clone())));
        prop_assert!(s.level.is_none_or(|n| n <= MAX_STATUS_LEVEL), "{} → {:?}", text, s.level);
    }

    #[test]
    fn any_json_reads_without_panic(value in json_value()) {
        let _ = parse_catalogue_value(&value);
        let _ = parse_catalogue_value(&json!({ "recipe": value.clone() }));
        let _ = parse_catalogue_value(&json!({ "recipe": { "features": value } }));
    }

    #[test]
    fn any_text_reads_without_panic(text in any::<String>()) {
        let _ = parse_catalogue(&text);
    }
}
