//! The body of `POST /v1/orders` as ferry-hostd reads it: JSON, then the input rules
//! that keep anything from a request out of abra's command line.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(order) = serde_json::from_slice::<ferry_hosting::OrderRequest>(data) {
        let _ = ferry_hosting::rules::check_order(&order);
    }
});
