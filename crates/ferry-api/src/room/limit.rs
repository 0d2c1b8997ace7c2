//! Requests per phone: a token bucket per key (a participant, or an address before
//! it has joined), so one phone cannot drown the room for the others.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// Sustained requests per second and the burst allowed, for one joined phone.
pub const PHONE: (f64, f64) = (10.0, 30.0);
/// The same for one network address before its phones have joined: several phones
/// may share one (a guest network behind one router), so it is looser.
pub const ADDRESS: (f64, f64) = (50.0, 300.0);
/// Keys remembered before the oldest are forgotten (a room is a few hundred phones).
const MAX_KEYS: usize = 10_000;

#[derive(Default)]
pub struct Limiter(Mutex<HashMap<String, (f64, Instant)>>);

impl Limiter {
    /// Whether `key` may make one more request now, at `(rate, burst)`.
    pub fn allow(&self, key: &str, (rate, burst): (f64, f64)) -> bool {
        let now = Instant::now();
        let mut buckets = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if buckets.len() >= MAX_KEYS && !buckets.contains_key(key) {
            buckets.retain(|_, (_, at)| now.duration_since(*at).as_secs() < 60);
        }
        let (tokens, at) = buckets.entry(key.to_owned()).or_insert((burst, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * rate).min(burst);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_is_cut_off_and_others_are_not_affected() {
        let l = Limiter::default();
        let allowed = (0..1000).filter(|_| l.allow("phone-a", PHONE)).count();
        assert!((30..=32).contains(&allowed), "{allowed}");
        assert!(l.allow("phone-b", PHONE));
    }
}
