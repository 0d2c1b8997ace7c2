//! The order's event stream as the hosting client reads it, cut into chunks anywhere:
//! the events must not depend on where the network split the bytes.
#![no_main]
use ferry_hosting::sse::SseReader;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&cut, stream)) = data.split_first() else {
        return;
    };
    let cut = usize::from(cut).min(stream.len());
    let mut whole = SseReader::new();
    let mut split = SseReader::new();
    let a = whole.push(stream);
    let b = split.push(&stream[..cut]).and_then(|mut first| {
        first.extend(split.push(&stream[cut..])?);
        Ok(first)
    });
    if let (Ok(a), Ok(b)) = (&a, &b) {
        assert_eq!(a, b);
    }
    for data in a.into_iter().flatten() {
        let _ = serde_json::from_str::<ferry_hosting::OrderStatus>(&data);
    }
});
